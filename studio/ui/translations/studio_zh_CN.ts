<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Accessibility</name>
    <message>
        <source>new</source>
        <translation>新</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已舍弃</translation>
    </message>
    <message>
        <source>{title}, {state}</source>
        <translation>{title}，{state}</translation>
    </message>
    <message>
        <source>{group}: {name}</source>
        <translation>{group}：{name}</translation>
    </message>
    <message>
        <source>&amp;Go to Panel</source>
        <translation>转到面板(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Next Panel</source>
        <translation>下一个面板(&amp;N)</translation>
    </message>
    <message>
        <source>Move the keyboard focus to the next panel</source>
        <translation>把键盘焦点移到下一个面板</translation>
    </message>
    <message>
        <source>&amp;Previous Panel</source>
        <translation>上一个面板(&amp;P)</translation>
    </message>
    <message>
        <source>Move the keyboard focus to the previous panel</source>
        <translation>把键盘焦点移到上一个面板</translation>
    </message>
    <message>
        <source>Move the keyboard focus to this panel</source>
        <translation>把键盘焦点移到这个面板</translation>
    </message>
    <message>
        <source>&amp;Samples</source>
        <translation>样本(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Adaptation</source>
        <translation>适应(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Controls</source>
        <translation>控制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Gallery</source>
        <translation>画廊(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Inspector</source>
        <translation>检查器(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Taste</source>
        <translation>品味(&amp;T)</translation>
    </message>
    <message>
        <source>Picture: {title}</source>
        <translation>图片：{title}</translation>
    </message>
    <message>
        <source>Piano roll: {title}</source>
        <translation>钢琴卷帘：{title}</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Piano roll</source>
        <translation>钢琴卷帘</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>画廊</translation>
    </message>
    <message>
        <source>Generated works. Arrow keys move, K keeps, R rejects, Space plays a melody, Enter opens the work in the inspector.</source>
        <translation>生成的作品。方向键移动，K 保留，R 舍弃，空格键播放旋律，回车键在检查器中打开作品。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Your samples. Arrow keys move, Ctrl+Up and Ctrl+Down reorder, Delete removes, Space plays a melody, Enter opens the sample in the inspector.</source>
        <translation>你的样本。方向键移动，Ctrl+Up 和 Ctrl+Down 调整顺序，Delete 删除，空格键播放旋律，回车键在检查器中打开样本。</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>信息</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Undo the last edit of the samples or the gallery</source>
        <translation>撤销对样本或画廊的上一次编辑</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Redo the edit you undid</source>
        <translation>重做刚才撤销的编辑</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new, empty project</source>
        <translation>新建一个空项目</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a saved project</source>
        <translation>打开已保存的项目</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the project under a new name</source>
        <translation>以新名称保存项目</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Add painting or MIDI melody files to the sample bin</source>
        <translation>把画作或 MIDI 旋律文件添加到样本栏</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Copy the selected samples, and the selected (or kept) works, to a folder</source>
        <translation>把选中的样本和选中（或已保留）的作品复制到文件夹</translation>
    </message>
    <message>
        <source>Export &amp;Kept…</source>
        <translation>导出已保留作品(&amp;K)…</translation>
    </message>
    <message>
        <source>Write every kept work to a folder (melodies as .mid, paintings as .png)</source>
        <translation>把所有已保留的作品写入文件夹（旋律为 .mid，画作为 .png）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Close the studio</source>
        <translation>关闭工作室</translation>
    </message>
    <message>
        <source>&amp;Cancel Task</source>
        <translation>取消任务(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running task (import, adaptation or generation)</source>
        <translation>停止正在运行的任务（导入、适应或生成）</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Remove the selected samples or works (undoable)</source>
        <translation>移除选中的样本或作品（可撤销）</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Select every sample (or every work in the gallery)</source>
        <translation>选中所有样本（或画廊中的所有作品）</translation>
    </message>
    <message>
        <source>M&amp;ove Up</source>
        <translation>上移(&amp;O)</translation>
    </message>
    <message>
        <source>Move the selected samples one place up</source>
        <translation>把选中的样本上移一位</translation>
    </message>
    <message>
        <source>Move Do&amp;wn</source>
        <translation>下移(&amp;W)</translation>
    </message>
    <message>
        <source>Move the selected samples one place down</source>
        <translation>把选中的样本下移一位</translation>
    </message>
    <message>
        <source>&amp;Keep</source>
        <translation>保留(&amp;K)</translation>
    </message>
    <message>
        <source>Keep the selected works</source>
        <translation>保留选中的作品</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>舍弃(&amp;J)</translation>
    </message>
    <message>
        <source>Reject the selected works: their seeds never come back</source>
        <translation>舍弃选中的作品：它们的种子不会再出现</translation>
    </message>
    <message>
        <source>Remo&amp;ve Works</source>
        <translation>移除作品(&amp;V)</translation>
    </message>
    <message>
        <source>Remove the selected works from the gallery</source>
        <translation>从画廊中移除选中的作品</translation>
    </message>
    <message>
        <source>&amp;Play / Stop</source>
        <translation>播放 / 停止(&amp;P)</translation>
    </message>
    <message>
        <source>Play or stop the selected melody with the built-in synth</source>
        <translation>用内置合成器播放或停止选中的旋律</translation>
    </message>
    <message>
        <source>Bigger Thumbnails</source>
        <translation>放大缩略图</translation>
    </message>
    <message>
        <source>Show larger thumbnails</source>
        <translation>显示更大的缩略图</translation>
    </message>
    <message>
        <source>Smaller Thumbnails</source>
        <translation>缩小缩略图</translation>
    </message>
    <message>
        <source>Show smaller thumbnails</source>
        <translation>显示更小的缩略图</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About Meta-Creation Studio</source>
        <translation>关于元创作工作室</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>List every keyboard shortcut and menu key</source>
        <translation>列出所有键盘快捷键和菜单访问键</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>入门指南(&amp;G)</translation>
    </message>
    <message>
        <source>The two workflows, paintings and melodies, step by step</source>
        <translation>两种工作流程（画作和旋律）的分步说明</translation>
    </message>
    <message>
        <source>Load Demo &amp;Paintings</source>
        <translation>载入示例画作(&amp;P)</translation>
    </message>
    <message>
        <source>Add the bundled public-domain paintings</source>
        <translation>添加随附的公有领域画作</translation>
    </message>
    <message>
        <source>Load Demo &amp;Melodies</source>
        <translation>载入示例旋律(&amp;M)</translation>
    </message>
    <message>
        <source>Add the bundled public-domain melodies (in a new project if this one holds paintings)</source>
        <translation>添加随附的公有领域旋律（若当前项目是画作项目，则在新项目中添加）</translation>
    </message>
    <message>
        <source>Record from &amp;MIDI Keyboard…</source>
        <translation>从 MIDI 键盘录制(&amp;M)…</translation>
    </message>
    <message>
        <source>Record a clip from a MIDI keyboard and add it as a sample (needs python-rtmidi)</source>
        <translation>从 MIDI 键盘录制一段并添加为样本（需要 python-rtmidi）</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Play &amp;Through</source>
        <translation>播放输出(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Samples</source>
        <translation>样本(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Adaptation</source>
        <translation>适应(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Inspector</source>
        <translation>检查器(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Melody</source>
        <translation>旋律(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Painting</source>
        <translation>画作(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Taste</source>
        <translation>品味(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Show or hide the {panel} panel</source>
        <translation>显示或隐藏“{panel}”面板</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
</context>
<context>
    <name>AdaptationPanel</name>
    <message>
        <source>Steps do not measurably improve paintings over the instant start yet (SWD ratio +0.02 ± 0.02 on held-out painters, better on 3 of 8 tasks); they can help with very unusual samples. Generate uses the instant start unless you adapt.</source>
        <translation>目前梯度步数还不能明显改进画作，效果与即时起点相当（在留出画家上 SWD 比值 +0.02 ± 0.02，8 个任务中有 3 个更好）；对非常特别的样本可能有帮助。除非你先适应，“生成”都使用即时起点。</translation>
    </message>
    <message>
        <source>Reptile</source>
        <translation>Reptile</translation>
    </message>
    <message>
        <source>Gradient steps from a Reptile start (meta-trained by moving towards adapted weights).</source>
        <translation>从 Reptile 起点做梯度步（元训练时向适应后的权重靠拢）。</translation>
    </message>
    <message>
        <source>ANIL (head only)</source>
        <translation>ANIL（仅输出头）</translation>
    </message>
    <message>
        <source>Adapts only the output head: fastest, keeps the learned features fixed.</source>
        <translation>只适应输出头：最快，学到的特征保持不变。</translation>
    </message>
    <message>
        <source>First-order MAML</source>
        <translation>一阶 MAML</translation>
    </message>
    <message>
        <source>Gradient steps from a first-order-MAML start: cheaper meta-training, same adaptation.</source>
        <translation>从一阶 MAML 起点做梯度步：元训练更省，适应方式相同。</translation>
    </message>
    <message>
        <source>Hypernetwork (instant)</source>
        <translation>超网络（即时）</translation>
    </message>
    <message>
        <source>No gradient steps: a hypernetwork maps the samples to weight modulations at once.</source>
        <translation>不做梯度步：超网络一次性把样本映射为权重调制。</translation>
    </message>
    <message>
        <source>MAML (second order)</source>
        <translation>MAML（二阶）</translation>
    </message>
    <message>
        <source>Gradient steps from a MAML-trained start; meta-gradients through the inner loop.</source>
        <translation>从 MAML 训练的起点做梯度步；元梯度穿过内循环。</translation>
    </message>
    <message>
        <source>Meta-SGD</source>
        <translation>Meta-SGD</translation>
    </message>
    <message>
        <source>Gradient steps with learned per-parameter learning rates.</source>
        <translation>使用学到的逐参数学习率做梯度步。</translation>
    </message>
    <message>
        <source>Add a few samples first: adaptation learns their style.</source>
        <translation>请先添加几个样本：适应会学习它们的风格。</translation>
    </message>
    <message>
        <source>No meta-trained {kind} generator is installed yet, so there is nothing to adapt; it arrives with the {kind} models.</source>
        <translation>尚未安装元训练的{kind}生成器，因此没有可适应的对象；它会随{kind}模型一起提供。</translation>
    </message>
    <message>
        <source>about {s} s left</source>
        <translation>大约还剩 {s} 秒</translation>
    </message>
    <message>
        <source>about {m} min {s} s left</source>
        <translation>大约还剩 {m} 分 {s} 秒</translation>
    </message>
    <message>
        <source>How the meta-trained generator adapts to your samples</source>
        <translation>元训练生成器适应你的样本的方法</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Stop after a fixed number of gradient steps (reproducible)</source>
        <translation>在固定的梯度步数后停止（可复现）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Stop after a wall-clock budget (as many steps as fit)</source>
        <translation>在限定的时间后停止（能做多少步就做多少步）</translation>
    </message>
    <message>
        <source> steps</source>
        <translation> 步</translation>
    </message>
    <message>
        <source>Number of adaptation steps</source>
        <translation>适应步数</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Time budget in seconds</source>
        <translation>时间预算（秒）</translation>
    </message>
    <message>
        <source>Adapt</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>Progress of the running task</source>
        <translation>正在运行的任务的进度</translation>
    </message>
    <message>
        <source>Estimated time remaining</source>
        <translation>预计剩余时间</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running task: an import adds nothing; generated works that already arrived stay in the gallery</source>
        <translation>停止正在运行的任务：导入不会添加任何内容；已经生成的作品留在画廊中</translation>
    </message>
    <message>
        <source>No task running.</source>
        <translation>没有正在运行的任务。</translation>
    </message>
    <message>
        <source>What the running (or last) task is doing</source>
        <translation>正在运行（或上一个）任务的状态</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
    <message>
        <source>Adapt the meta-trained generator to your samples</source>
        <translation>让元训练的生成器适应你的样本</translation>
    </message>
    <message>
        <source>Adapt the meta-trained generator to your samples. {effect}</source>
        <translation>让元训练的生成器适应你的样本。{effect}</translation>
    </message>
    <message>
        <source>{task}: {outcome}</source>
        <translation>{task}：{outcome}</translation>
    </message>
    <message>
        <source>done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>cancelled; nothing was changed.</source>
        <translation>已取消；没有任何改动。</translation>
    </message>
    <message>
        <source>failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Loading the learning engine</source>
        <translation>正在载入学习引擎</translation>
    </message>
</context>
<context>
    <name>ChordLane</name>
    <message>
        <source>Chords from a file</source>
        <translation>从文件读取和弦</translation>
    </message>
    <message>
        <source>Chords (*.mid *.midi *.musicxml *.mxl *.xml *.abc *.txt *.chords)</source>
        <translation>和弦 (*.mid *.midi *.musicxml *.mxl *.xml *.abc *.txt *.chords)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>e.g. C | G | Am F | F</source>
        <translation>例如 C | G | Am F | F</translation>
    </message>
    <message>
        <source>Chord progression</source>
        <translation>和弦进行</translation>
    </message>
    <message>
        <source>Chords for the next melodies: bars separated by |, chords in a bar split it evenly.
Roots A-G with # or b; qualities m 7 maj7 m7 dim dim7 aug sus2 sus4 6 m6 9 m7b5;
slash bass C/E; N for no chord; % repeats the bar before. Empty: the studio chooses.</source>
        <translation>接下来生成的旋律所用的和弦：小节之间用 | 分隔，一个小节里的多个和弦平分该小节。
根音 A-G，可加 # 或 b；和弦性质 m 7 maj7 m7 dim dim7 aug sus2 sus4 6 m6 9 m7b5；
斜线低音如 C/E；N 表示无和弦；% 重复上一小节。留空：由工作室决定。</translation>
    </message>
    <message>
        <source>From File…</source>
        <translation>从文件…</translation>
    </message>
    <message>
        <source>Take the chords from a MIDI file (a chord track or block chords), a lead sheet (MusicXML or ABC chord symbols) or a text file</source>
        <translation>从 MIDI 文件（和弦音轨或柱式和弦）、领谱（MusicXML 或 ABC 和弦记号）或文本文件中读取和弦</translation>
    </message>
    <message>
        <source>, repeated over {n}</source>
        <translation>，重复铺满 {n} 小节</translation>
    </message>
    <message>
        <source>; melodies of {n} bars use the first {n}</source>
        <translation>；{n} 小节的旋律只用前 {n} 小节</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No chords: the studio chooses the harmony</source>
        <translation>不指定和弦：由工作室决定和声</translation>
    </message>
    <message>
        <source>Play chords</source>
        <translation>播放和弦</translation>
    </message>
    <message>
        <source>Play a melody&apos;s chords softly under it when you play it</source>
        <translation>播放旋律时在下方轻声奏出它的和弦</translation>
    </message>
    <message>
        <source>Chords for 1 bar</source>
        <translation>1 个小节的和弦</translation>
    </message>
    <message>
        <source>Chords for {bars} bars</source>
        <translation>{bars} 个小节的和弦</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>1 sample</source>
        <translation>1 个样本</translation>
    </message>
    <message>
        <source>{n} samples</source>
        <translation>{n} 个样本</translation>
    </message>
    <message>
        <source>1 work</source>
        <translation>1 件作品</translation>
    </message>
    <message>
        <source>{n} works</source>
        <translation>{n} 件作品</translation>
    </message>
    <message>
        <source>Import {samples}</source>
        <translation>导入 {samples}</translation>
    </message>
    <message>
        <source>Remove {samples}</source>
        <translation>移除 {samples}</translation>
    </message>
    <message>
        <source>Reorder samples</source>
        <translation>调整样本顺序</translation>
    </message>
    <message>
        <source>Keep {works}</source>
        <translation>保留 {works}</translation>
    </message>
    <message>
        <source>Reject {works}</source>
        <translation>舍弃 {works}</translation>
    </message>
    <message>
        <source>Unmark {works}</source>
        <translation>取消标记 {works}</translation>
    </message>
    <message>
        <source>Remove {works}</source>
        <translation>移除 {works}</translation>
    </message>
    <message>
        <source>1 melody</source>
        <translation>1 段旋律</translation>
    </message>
    <message>
        <source>{n} melodies</source>
        <translation>{n} 段旋律</translation>
    </message>
    <message>
        <source>{verb}: {works}</source>
        <translation>{verb}：{works}</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>{tip}. {reason}.</source>
        <translation>{tip}。{reason}。</translation>
    </message>
    <message>
        <source> variations</source>
        <translation> 个变体</translation>
    </message>
    <message>
        <source>How many variations one click makes</source>
        <translation>每次点击生成多少个变体</translation>
    </message>
    <message>
        <source>Refine the selection</source>
        <translation>细化所选作品</translation>
    </message>
    <message>
        <source>Closeness</source>
        <translation>贴近度</translation>
    </message>
    <message>
        <source>Generate a gallery of new melodies in your samples&apos; style</source>
        <translation>按你的样本风格生成一整个画廊的新旋律</translation>
    </message>
    <message>
        <source>Variations of the selected gallery melody (Closeness sets how close)</source>
        <translation>画廊中选中旋律的变体（“贴近度”决定有多接近）</translation>
    </message>
    <message>
        <source>A new melody mixing the two selected gallery melodies</source>
        <translation>融合画廊中两段选中旋律的新旋律</translation>
    </message>
    <message>
        <source>Continue the selected gallery melody or sample clip by Length bars</source>
        <translation>按“长度”中的小节数续写画廊中选中的旋律或样本片段</translation>
    </message>
    <message>
        <source>Write the bars chosen in the inspector&apos;s piano roll anew, keeping the rest</source>
        <translation>重新写出检查器钢琴卷帘中选定的小节，其余保持不变</translation>
    </message>
    <message>
        <source>Adapt again with the kept melodies as extra samples, then generate</source>
        <translation>把已保留的旋律作为额外样本重新适应，然后生成</translation>
    </message>
    <message>
        <source>Generate a gallery of new paintings in your samples&apos; style (Ctrl+G)</source>
        <translation>按你的样本风格生成一整个画廊的新画作（Ctrl+G）</translation>
    </message>
    <message>
        <source>Variations of the selected gallery painting: its composition kept, the detail new (Closeness sets how much is kept) (Ctrl+Shift+V)</source>
        <translation>画廊中选中画作的变体：保留构图，细节重画（“贴近度”决定保留多少）（Ctrl+Shift+V）</translation>
    </message>
    <message>
        <source>A new painting joining the compositions of the two selected gallery paintings (Ctrl+Shift+B)</source>
        <translation>结合画廊中两幅选中画作构图的新画作（Ctrl+Shift+B）</translation>
    </message>
    <message>
        <source>Paint the region brushed in the inspector anew, blending it into the rest (Ctrl+Shift+R)</source>
        <translation>重画在检查器中涂出的区域，并与其余部分融合（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <source>Paint the selected gallery painting again at a larger size; the render lands after it (Ctrl+Shift+L)</source>
        <translation>以更大的尺寸重画画廊中选中的画作；结果放在它后面（Ctrl+Shift+L）</translation>
    </message>
    <message>
        <source>Adapt again with the kept paintings as extra samples, then generate (Ctrl+Shift+M)</source>
        <translation>把已保留的画作作为额外样本重新适应，然后生成（Ctrl+Shift+M）</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Meta-Creation Studio projects ({patterns})</source>
        <translation>元创作工作室项目（{patterns}）</translation>
    </message>
    <message>
        <source>Paintings and melodies ({patterns})</source>
        <translation>画作和旋律（{patterns}）</translation>
    </message>
    <message>
        <source>Paintings ({patterns})</source>
        <translation>画作（{patterns}）</translation>
    </message>
    <message>
        <source>Melodies ({patterns})</source>
        <translation>旋律（{patterns}）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <source>paintings</source>
        <translation>画作</translation>
    </message>
    <message>
        <source>melodies</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>painting</source>
        <translation>画作</translation>
    </message>
    <message>
        <source>melody</source>
        <translation>旋律</translation>
    </message>
</context>
<context>
    <name>EditController</name>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
</context>
<context>
    <name>ErrorListDialog</name>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Technical details for a bug report</source>
        <translation>用于错误报告的技术细节</translation>
    </message>
</context>
<context>
    <name>Exporting</name>
    <message>
        <source>work {id} holds neither a picture nor a melody</source>
        <translation>作品 {id} 既没有图片也没有旋律</translation>
    </message>
    <message>
        <source>work {id} holds no melody</source>
        <translation>作品 {id} 没有旋律</translation>
    </message>
    <message>
        <source>could not be written ({reason})</source>
        <translation>无法写入（{reason}）</translation>
    </message>
</context>
<context>
    <name>Facts</name>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Parents</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Closeness</source>
        <translation>贴近度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>小节</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>Tempo (BPM)</source>
        <translation>速度（BPM）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Guide</source>
        <translation>引导图</translation>
    </message>
    <message>
        <source>Long side</source>
        <translation>长边</translation>
    </message>
    <message>
        <source>Brushwork</source>
        <translation>笔触</translation>
    </message>
    <message>
        <source>Repainted share</source>
        <translation>重绘比例</translation>
    </message>
    <message>
        <source>Regenerated bars</source>
        <translation>重新生成的小节</translation>
    </message>
    <message>
        <source>Closeness to the guide</source>
        <translation>与引导图的贴近度</translation>
    </message>
    <message>
        <source>Clip bars</source>
        <translation>片段小节数</translation>
    </message>
    <message>
        <source>Repaint seed</source>
        <translation>重绘种子</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Texture scale</source>
        <translation>质感比例</translation>
    </message>
    <message>
        <source>This painting&apos;s closeness to the guide</source>
        <translation>本幅画作与引导图的贴近度</translation>
    </message>
    <message>
        <source>Density calibration</source>
        <translation>密度校准</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Taste when chosen</source>
        <translation>挑选时的品味</translation>
    </message>
    <message>
        <source>{score}, chosen from {drafts} drafts</source>
        <translation>{score}，从 {drafts} 份草稿中挑出</translation>
    </message>
    <message>
        <source>generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>vary</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>blend</source>
        <translation>融合</translation>
    </message>
    <message>
        <source>render larger</source>
        <translation>放大渲染</translation>
    </message>
    <message>
        <source>repaint</source>
        <translation>重绘</translation>
    </message>
    <message>
        <source>continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>regenerate bars</source>
        <translation>重新生成小节</translation>
    </message>
    <message>
        <source>adaptation preview</source>
        <translation>适应预览</translation>
    </message>
    <message>
        <source>instant start</source>
        <translation type="vanished">即时起点</translation>
    </message>
    <message>
        <source>Reptile</source>
        <translation type="vanished">Reptile</translation>
    </message>
    <message>
        <source>ANIL</source>
        <translation type="vanished">ANIL</translation>
    </message>
    <message>
        <source>first-order MAML</source>
        <translation type="vanished">一阶 MAML</translation>
    </message>
    <message>
        <source>MAML</source>
        <translation type="vanished">MAML</translation>
    </message>
    <message>
        <source>Meta-SGD</source>
        <translation type="vanished">Meta-SGD</translation>
    </message>
    <message>
        <source>hypernetwork</source>
        <translation type="vanished">超网络</translation>
    </message>
    <message>
        <source>instant</source>
        <translation>即时起点</translation>
    </message>
    <message>
        <source>reptile</source>
        <translation>Reptile</translation>
    </message>
    <message>
        <source>anil</source>
        <translation>ANIL</translation>
    </message>
    <message>
        <source>fomaml</source>
        <translation>一阶 MAML</translation>
    </message>
    <message>
        <source>maml</source>
        <translation>MAML</translation>
    </message>
    <message>
        <source>metasgd</source>
        <translation>Meta-SGD</translation>
    </message>
    <message>
        <source>hypernet</source>
        <translation>超网络</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>已保留</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已舍弃</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新</translation>
    </message>
    <message>
        <source>{n} + pickup</source>
        <translation>{n} + 弱起</translation>
    </message>
    <message>
        <source>1 bar</source>
        <translation>1 小节</translation>
    </message>
    <message>
        <source>{n} bars</source>
        <translation>{n} 小节</translation>
    </message>
    <message>
        <source>{bars} + pickup</source>
        <translation>{bars} + 弱起</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>{tonic} major</source>
        <translation>{tonic} 大调</translation>
    </message>
    <message>
        <source>{tonic} minor</source>
        <translation>{tonic} 小调</translation>
    </message>
    <message>
        <source>{key}, {meter}, {bars}</source>
        <translation>{key}，{meter}，{bars}</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>{width} × {height} px</source>
        <translation>{width} × {height} 像素</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>色彩模式</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>调色板</translation>
    </message>
    <message>
        <source>{n} dominant colours</source>
        <translation>{n} 种主色</translation>
    </message>
    <message>
        <source>{key} (confidence {confidence})</source>
        <translation>{key}（置信度 {confidence}）</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>{bpm} BPM</source>
        <translation>{bpm} BPM</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>音符</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>音域</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Painting {number}</source>
        <translation>画作 {number}</translation>
    </message>
    <message>
        <source>Variation {number}</source>
        <translation>变体 {number}</translation>
    </message>
    <message>
        <source>Blend {number}</source>
        <translation>融合 {number}</translation>
    </message>
    <message>
        <source>Melody {number}</source>
        <translation>旋律 {number}</translation>
    </message>
    <message>
        <source>Seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>{title} ({side} px)</source>
        <translation>{title}（{side} 像素）</translation>
    </message>
</context>
<context>
    <name>Feedback</name>
    <message>
        <source>{title}: see the problems window</source>
        <translation>{title}：请查看问题窗口</translation>
    </message>
    <message>
        <source>{task} failed</source>
        <translation>{task}失败</translation>
    </message>
    <message>
        <source>{task} failed: {reason}</source>
        <translation>{task}失败：{reason}</translation>
    </message>
</context>
<context>
    <name>FileController</name>
    <message>
        <source>New project.</source>
        <translation>新项目。</translation>
    </message>
    <message>
        <source>Could not open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>The project could not be opened: {reason}</source>
        <translation>项目无法打开：{reason}</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>Could not save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>The project was not saved: {reason}</source>
        <translation>项目未保存：{reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>清除最近记录</translation>
    </message>
    <message>
        <source>Importing {name}</source>
        <translation>正在导入 {name}</translation>
    </message>
    <message>
        <source>Importing {n} items</source>
        <translation>正在导入 {n} 项</translation>
    </message>
    <message>
        <source>Read {name}…</source>
        <translation>已读取 {name}…</translation>
    </message>
    <message>
        <source>Import cancelled; no samples were added.</source>
        <translation>导入已取消；没有添加任何样本。</translation>
    </message>
    <message>
        <source>same content as “{name}”, already in this project; skipped</source>
        <translation>与“{name}”内容相同，已在此项目中；已跳过</translation>
    </message>
    <message>
        <source>is a {kind}, but this set holds {held}; paintings and melodies are never mixed in one set (File &gt; New starts a new project)</source>
        <translation>是{kind}，但此样本集是{held}；画作和旋律不能放在同一个样本集中（“文件 &gt; 新建”可开始新项目）</translation>
    </message>
    <message>
        <source>Imported 1 sample</source>
        <translation>已导入 1 个样本</translation>
    </message>
    <message>
        <source>Imported {n} samples</source>
        <translation>已导入 {n} 个样本</translation>
    </message>
    <message>
        <source>; 1 file not imported (see the list)</source>
        <translation>；1 个文件未导入（见列表）</translation>
    </message>
    <message>
        <source>; {n} files not imported (see the list)</source>
        <translation>；{n} 个文件未导入（见列表）</translation>
    </message>
    <message>
        <source>; ignored 1 other file in folders</source>
        <translation>；忽略了文件夹中的 1 个其他文件</translation>
    </message>
    <message>
        <source>; ignored {n} other files in folders</source>
        <translation>；忽略了文件夹中的 {n} 个其他文件</translation>
    </message>
    <message>
        <source>This project holds {kind}</source>
        <translation>此项目是{kind}项目</translation>
    </message>
    <message>
        <source>The first file fixed this import&apos;s kind</source>
        <translation>第一个文件决定了这次导入的类型</translation>
    </message>
    <message>
        <source>1 file was refused: {names}</source>
        <translation>有 1 个文件被拒绝：{names}</translation>
    </message>
    <message>
        <source>{n} files were refused: {names}</source>
        <translation>有 {n} 个文件被拒绝：{names}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Paintings and melodies cannot be mixed in one project.&lt;/b&gt; {held}, so {refused}. Start a new project (File &gt; New) to work with them.</source>
        <translation>&lt;b&gt;画作和旋律不能放在同一个项目中。&lt;/b&gt;{held}，因此{refused}。要使用它们，请开始一个新项目（文件 &gt; 新建）。</translation>
    </message>
    <message>
        <source>1 file could not be imported; the reasons are below.</source>
        <translation>1 个文件无法导入；原因见下方。</translation>
    </message>
    <message>
        <source>{n} files could not be imported; the reasons are below.</source>
        <translation>{n} 个文件无法导入；原因见下方。</translation>
    </message>
    <message>
        <source>1 sample imported.</source>
        <translation>已导入 1 个样本。</translation>
    </message>
    <message>
        <source>{n} samples imported.</source>
        <translation>已导入 {n} 个样本。</translation>
    </message>
    <message>
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <source>Nothing is kept yet: keep works with K or their ✓ button.</source>
        <translation>还没有保留任何作品：按 K 或作品上的 ✓ 按钮来保留。</translation>
    </message>
    <message>
        <source>Export problems</source>
        <translation>导出问题</translation>
    </message>
    <message>
        <source>{n} item(s) could not be exported.</source>
        <translation>{n} 项无法导出。</translation>
    </message>
    <message>
        <source>Exported {n} file(s) to {folder}</source>
        <translation>已导出 {n} 个文件到 {folder}</translation>
    </message>
    <message>
        <source>No demo {kind} are installed.</source>
        <translation>没有安装示例{kind}。</translation>
    </message>
    <message>
        <source>This project holds {held}, and one project holds one kind. Start a new project for the demo {kind}?</source>
        <translation>此项目是{held}项目，而一个项目只能有一种类型。要为示例{kind}开始一个新项目吗？</translation>
    </message>
    <message>
        <source>Demo {kind}</source>
        <translation>示例{kind}</translation>
    </message>
</context>
<context>
    <name>GalleryListView</name>
    <message>
        <source>Could not drag the works out: {reason}</source>
        <translation>无法把作品拖出：{reason}</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source>Taste {score}: likely to your taste</source>
        <translation>品味 {score}：可能合你的口味</translation>
    </message>
    <message>
        <source>Taste {score}: likely not to your taste</source>
        <translation>品味 {score}：可能不合你的口味</translation>
    </message>
    <message>
        <source>Taste {score}: the studio is unsure</source>
        <translation>品味 {score}：工作室还拿不准</translation>
    </message>
</context>
<context>
    <name>GalleryPanel</name>
    <message>
        <source>Generated melodies will appear here.

Add 3–8 melodies to the sample bin, then press Generate (or Adapt, for a closer fit). Play a card with its ▶ button or Space; keep (K) or reject (R) it; drag it out as a MIDI file.</source>
        <translation>生成的旋律会显示在这里。

向样本栏添加 3–8 段旋律，然后按“生成”（或按“适应”，以更贴近样本）。用卡片上的 ▶ 按钮或空格键播放；保留（K）或舍弃（R）；把卡片拖出即可保存为 MIDI 文件。</translation>
    </message>
    <message>
        <source>Generated works will appear here.

1. Add 3–10 paintings or melodies to the sample bin (drop files or File &gt; Import).
2. Adapt a meta-trained generator to them, then generate.</source>
        <translation>生成的作品会显示在这里。

1. 向样本栏添加 3–10 幅画作或段旋律（拖入文件，或使用“文件 &gt; 导入”）。
2. 让元训练的生成器适应它们，然后生成。</translation>
    </message>
    <message>
        <source>No meta-trained {kind} generator is installed yet, so {works} cannot be generated in this version; your samples, their analysis and projects already work.</source>
        <translation>尚未安装元训练的{kind}生成器，所以此版本还不能生成{works}；样本、样本分析和项目功能已经可以使用。</translation>
    </message>
    <message>
        <source>No meta-trained painting or melody generator is installed yet, so paintings and melodies cannot be generated in this version; your samples, their analysis and projects already work.</source>
        <translation>尚未安装元训练的画作或旋律生成器，所以此版本还不能生成画作和旋律；样本、样本分析和项目功能已经可以使用。</translation>
    </message>
    <message>
        <source>Melodies can: Help &gt; Load Demo Melodies opens a melody project.</source>
        <translation>旋律可以生成：“帮助 &gt; 载入示例旋律”会打开一个旋律项目。</translation>
    </message>
    <message>
        <source>Paintings can: start a new project (File &gt; New) with paintings.</source>
        <translation>画作可以生成：用画作开始一个新项目（文件 &gt; 新建）。</translation>
    </message>
    <message>
        <source>Generated works: select, then Keep (K) or Reject (R); Space plays a melody; drag a card out to save it as a file.</source>
        <translation>生成的作品：选中后保留（K）或舍弃（R）；空格键播放旋律；把卡片拖出即可保存为文件。</translation>
    </message>
    <message>
        <source>Gallery</source>
        <translation>画廊</translation>
    </message>
    <message>
        <source>1 work</source>
        <translation>1 件作品</translation>
    </message>
    <message>
        <source>{n} works</source>
        <translation>{n} 件作品</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gallery&lt;/b&gt; — {works}</source>
        <translation>&lt;b&gt;画廊&lt;/b&gt; — {works}</translation>
    </message>
    <message>
        <source>, {kept} kept, {rejected} rejected</source>
        <translation>，已保留 {kept}，已舍弃 {rejected}</translation>
    </message>
</context>
<context>
    <name>GenerationController</name>
    <message>
        <source>Add a few {works} first: the studio learns their style</source>
        <translation>请先添加几个{works}：工作室会学习它们的风格</translation>
    </message>
    <message>
        <source>This project holds {others}; {kind} controls need {works}</source>
        <translation>此项目是{others}项目；{kind}控制需要{works}</translation>
    </message>
    <message>
        <source>No meta-trained {kind} generator is installed yet</source>
        <translation>尚未安装元训练的{kind}生成器</translation>
    </message>
    <message>
        <source>Select a melody in the gallery</source>
        <translation>请在画廊中选择一段旋律</translation>
    </message>
    <message>
        <source>Select exactly two melodies in the gallery</source>
        <translation>请在画廊中恰好选择两段旋律</translation>
    </message>
    <message>
        <source>Select a gallery melody or a sample</source>
        <translation>请选择画廊中的一段旋律或一个样本</translation>
    </message>
    <message>
        <source>Select a gallery melody, then click or drag over bars in the inspector’s piano roll</source>
        <translation>请选择画廊中的一段旋律，然后在检查器的钢琴卷帘上点击或拖选小节</translation>
    </message>
    <message>
        <source>Keep at least one melody first</source>
        <translation>请先至少保留一段旋律</translation>
    </message>
    <message>
        <source>Select a painting in the gallery</source>
        <translation>请在画廊中选择一幅画作</translation>
    </message>
    <message>
        <source>Select exactly two paintings in the gallery</source>
        <translation>请在画廊中恰好选择两幅画作</translation>
    </message>
    <message>
        <source>Select a gallery painting, then brush the region to repaint in the inspector (Brush, B)</source>
        <translation>请选择画廊中的一幅画作，然后在检查器中涂出要重绘的区域（画笔，B）</translation>
    </message>
    <message>
        <source>Keep at least one painting first</source>
        <translation>请先至少保留一幅画作</translation>
    </message>
    <message>
        <source>Set chords</source>
        <translation>设置和弦</translation>
    </message>
    <message>
        <source>Clear chords</source>
        <translation>清除和弦</translation>
    </message>
    <message>
        <source>adapting</source>
        <translation>适应中</translation>
    </message>
    <message>
        <source>Adapting to {n} samples</source>
        <translation>正在适应 {n} 个样本</translation>
    </message>
    <message>
        <source>{label}: the chords have a mistake and are left out ({error})</source>
        <translation>{label}：和弦有错误，已略去（{error}）</translation>
    </message>
    <message>
        <source>more like these</source>
        <translation>更多类似作品</translation>
    </message>
    <message>
        <source>Adapting to 1 kept painting</source>
        <translation>正在适应 1 幅已保留的画作</translation>
    </message>
    <message>
        <source>Adapting to {n} kept paintings</source>
        <translation>正在适应 {n} 幅已保留的画作</translation>
    </message>
    <message>
        <source>Adapting to 1 kept melody</source>
        <translation>正在适应 1 段已保留的旋律</translation>
    </message>
    <message>
        <source>Adapting to {n} kept melodies</source>
        <translation>正在适应 {n} 段已保留的旋律</translation>
    </message>
    <message>
        <source>Generating {works}</source>
        <translation>正在生成 {works}</translation>
    </message>
    <message>
        <source>Generating {works}, chosen for your taste</source>
        <translation>正在生成 {works}，按你的品味挑选</translation>
    </message>
    <message>
        <source>Varying {work}</source>
        <translation>正在生成 {work} 的变体</translation>
    </message>
    <message>
        <source>Blending two paintings</source>
        <translation>正在融合两幅画作</translation>
    </message>
    <message>
        <source>Blending two melodies</source>
        <translation>正在融合两段旋律</translation>
    </message>
    <message>
        <source>Repainting {share} of {work}</source>
        <translation>正在重绘 {work} 的 {share}</translation>
    </message>
    <message>
        <source>Rendering {work} at {side} px</source>
        <translation>正在以 {side} 像素渲染 {work}</translation>
    </message>
    <message>
        <source>Continuing by {n} bars</source>
        <translation>正在续写 {n} 小节</translation>
    </message>
    <message>
        <source>Regenerating bars {numbers}</source>
        <translation>正在重新生成第 {numbers} 小节</translation>
    </message>
    <message>
        <source>Regenerating bar {numbers}</source>
        <translation>正在重新生成第 {numbers} 小节</translation>
    </message>
    <message>
        <source>, the best of {n}</source>
        <translation>，{n} 步中最好的</translation>
    </message>
    <message>
        <source>More like these</source>
        <translation>更多类似作品</translation>
    </message>
    <message>
        <source>Adapt ({method}, {n} steps{kept})</source>
        <translation>适应（{method}，{n} 步{kept}）</translation>
    </message>
    <message>
        <source>{task}: done, {works}.</source>
        <translation>{task}：完成，{works}。</translation>
    </message>
    <message>
        <source>The studio chose them from {n} drafts.</source>
        <translation>工作室从 {n} 份草稿中挑出了它们。</translation>
    </message>
    <message>
        <source>{task}: cancelled; the {works} that arrived stays in the gallery.</source>
        <translation>{task}：已取消；已生成的 {works}留在画廊中。</translation>
    </message>
    <message>
        <source>{task}: cancelled; the {works} that arrived stay in the gallery.</source>
        <translation>{task}：已取消；已生成的 {works}留在画廊中。</translation>
    </message>
    <message>
        <source>{method}, {seconds} s</source>
        <translation>{method}，{seconds} 秒</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
</context>
<context>
    <name>GenerationTasks</name>
    <message>
        <source>Reading your samples’ style</source>
        <translation>正在读取样本的风格</translation>
    </message>
    <message>
        <source>Adapting to your samples</source>
        <translation>正在适应你的样本</translation>
    </message>
</context>
<context>
    <name>GettingStartedDialog</name>
    <message>
        <source>Getting started</source>
        <translation>入门指南</translation>
    </message>
    <message>
        <source>Workflows</source>
        <translation>工作流程</translation>
    </message>
    <message>
        <source>&amp;Paintings</source>
        <translation>画作(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Melodies</source>
        <translation>旋律(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Show at start</source>
        <translation>启动时显示(&amp;S)</translation>
    </message>
    <message>
        <source>Open this guide each time the studio starts (Help &gt; Getting Started opens it any time, F1)</source>
        <translation>每次启动工作室时打开这份指南（随时可用“帮助 &gt; 入门指南”或 F1 打开）</translation>
    </message>
    <message>
        <source>1. Add 3–8 paintings</source>
        <translation>1. 添加 3–8 幅画作</translation>
    </message>
    <message>
        <source>Drop pictures (PNG, JPEG, …) or a folder on the window, or use &lt;b&gt;File &amp;gt; Import&lt;/b&gt; (Ctrl+I). &lt;b&gt;Help &amp;gt; Load Demo Paintings&lt;/b&gt; adds five public-domain paintings to try. The inspector shows each one&apos;s size and palette.</source>
        <translation>把图片（PNG、JPEG 等）或文件夹拖到窗口上，或使用&lt;b&gt;文件 &amp;gt; 导入&lt;/b&gt;（Ctrl+I）。&lt;b&gt;帮助 &amp;gt; 载入示例画作&lt;/b&gt;会添加五幅公有领域画作供试用。检查器会显示每幅画的尺寸和调色板。</translation>
    </message>
    <message>
        <source>2. Generate</source>
        <translation>2. 生成</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Generate&lt;/b&gt; in the Painting panel (Ctrl+G). &lt;b&gt;Adapt&lt;/b&gt; first, in the Adaptation panel, for works closer to your samples. New paintings fill the gallery as they are made; Esc stops.</source>
        <translation>在“画作”面板中按&lt;b&gt;生成&lt;/b&gt;（Ctrl+G）。想让作品更贴近样本，可先在“适应”面板中按&lt;b&gt;适应&lt;/b&gt;。新画作一边生成一边填入画廊；按 Esc 停止。</translation>
    </message>
    <message>
        <source>3. Keep, reject, vary</source>
        <translation>3. 保留、舍弃、变体</translation>
    </message>
    <message>
        <source>Select a work with the arrow keys or the mouse: &lt;b&gt;K&lt;/b&gt; keeps it, &lt;b&gt;R&lt;/b&gt; rejects it (its seed never comes back). &lt;b&gt;Variations&lt;/b&gt; (Ctrl+Shift+V) makes new works close to the selected one; &lt;b&gt;Closeness&lt;/b&gt; sets how close.</source>
        <translation>用方向键或鼠标选择作品：&lt;b&gt;K&lt;/b&gt; 保留，&lt;b&gt;R&lt;/b&gt; 舍弃（它的种子不会再出现）。&lt;b&gt;变体&lt;/b&gt;（Ctrl+Shift+V）生成与所选作品相近的新作品；&lt;b&gt;贴近度&lt;/b&gt;决定有多接近。</translation>
    </message>
    <message>
        <source>5. Export</source>
        <translation>5. 导出</translation>
    </message>
    <message>
        <source>4. Let it learn your taste</source>
        <translation>4. 让它了解你的品味</translation>
    </message>
    <message>
        <source>Every keep and reject teaches the studio what you like: the next &lt;b&gt;Generate&lt;/b&gt; shows the works it chose for you from more drafts, the &lt;b&gt;Taste&lt;/b&gt; panel (Ctrl+6) says what it has learnt, and the inspector says why a work scores as it does. &lt;b&gt;Taste &amp;gt; Let the Studio Choose&lt;/b&gt; (Ctrl+Shift+T) turns it off.</source>
        <translation>每一次保留和舍弃都在告诉工作室你喜欢什么：下一次&lt;b&gt;生成&lt;/b&gt;会展示它从更多草稿中为你挑选的作品，&lt;b&gt;品味&lt;/b&gt;面板（Ctrl+6）说明它学到了什么，检查器说明一件作品为何得到这样的评分。&lt;b&gt;品味 &amp;gt; 让工作室挑选&lt;/b&gt;（Ctrl+Shift+T）可以关闭它。</translation>
    </message>
    <message>
        <source>&lt;b&gt;File &amp;gt; Export Kept…&lt;/b&gt; writes every kept painting as a PNG file; &lt;b&gt;File &amp;gt; Export…&lt;/b&gt; (Ctrl+E) writes the selected ones. You can also drag a card out of the gallery. &lt;b&gt;File &amp;gt; Save&lt;/b&gt; keeps the whole project.</source>
        <translation>&lt;b&gt;文件 &amp;gt; 导出已保留作品…&lt;/b&gt;会把每幅已保留的画作写成 PNG 文件；&lt;b&gt;文件 &amp;gt; 导出…&lt;/b&gt;（Ctrl+E）写出选中的作品。也可以把卡片从画廊中拖出。&lt;b&gt;文件 &amp;gt; 保存&lt;/b&gt;会保存整个项目。</translation>
    </message>
    <message>
        <source>1. Add melody clips</source>
        <translation>1. 添加旋律片段</translation>
    </message>
    <message>
        <source>Drop MIDI, MusicXML or ABC files on the window, or use &lt;b&gt;File &amp;gt; Import&lt;/b&gt; (Ctrl+I); a MIDI keyboard can record one (File &amp;gt; Record from MIDI Keyboard). &lt;b&gt;Help &amp;gt; Load Demo Melodies&lt;/b&gt; adds public-domain tunes to try. The inspector shows each clip as a piano roll with its key, meter and tempo.</source>
        <translation>把 MIDI、MusicXML 或 ABC 文件拖到窗口上，或使用&lt;b&gt;文件 &amp;gt; 导入&lt;/b&gt;（Ctrl+I）；也可以用 MIDI 键盘录制（文件 &amp;gt; 从 MIDI 键盘录制）。&lt;b&gt;帮助 &amp;gt; 载入示例旋律&lt;/b&gt;会添加公有领域曲调供试用。检查器以钢琴卷帘显示每个片段，并给出调、拍号和速度。</translation>
    </message>
    <message>
        <source>Set the length, key and meter in the Melody panel if you like, then press &lt;b&gt;Generate&lt;/b&gt; (Ctrl+G). &lt;b&gt;Adapt&lt;/b&gt; first for melodies closer to your clips.</source>
        <translation>可以先在“旋律”面板中设置长度、调和拍号，然后按&lt;b&gt;生成&lt;/b&gt;（Ctrl+G）。想让旋律更贴近你的片段，可先按&lt;b&gt;适应&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>&lt;b&gt;File &amp;gt; Export Kept…&lt;/b&gt; writes every kept melody as a MIDI file and, beside it, a MusicXML lead sheet for notation programs; &lt;b&gt;File &amp;gt; Export…&lt;/b&gt; (Ctrl+E) writes the selected ones. Drag a card out to drop it into your DAW.</source>
        <translation>&lt;b&gt;文件 &amp;gt; 导出已保留作品…&lt;/b&gt;会把每段已保留的旋律写成 MIDI 文件，并在旁边写一份供打谱软件使用的 MusicXML 领谱；&lt;b&gt;文件 &amp;gt; 导出…&lt;/b&gt;（Ctrl+E）写出选中的作品。把卡片拖出即可放进你的 DAW。</translation>
    </message>
    <message>
        <source>3. Play, continue, keep</source>
        <translation>3. 播放、续写、保留</translation>
    </message>
    <message>
        <source>&lt;b&gt;Space&lt;/b&gt; plays or stops the selected melody. &lt;b&gt;Continue&lt;/b&gt; adds bars to it; choose bars in the piano roll (click, or Left and Right) and &lt;b&gt;Regenerate bars&lt;/b&gt; writes them anew. K keeps, R rejects.</source>
        <translation>&lt;b&gt;空格键&lt;/b&gt;播放或停止选中的旋律。&lt;b&gt;续写&lt;/b&gt;为它添加小节；在钢琴卷帘中选择小节（点击，或用左右方向键），&lt;b&gt;重新生成小节&lt;/b&gt;会重写它们。K 保留，R 舍弃。</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>not a readable picture</source>
        <translation>不是可读取的图片</translation>
    </message>
    <message>
        <source>(picture {file}: {reason})</source>
        <translation>（图片 {file}：{reason}）</translation>
    </message>
    <message>
        <source>Screenshot: {step}</source>
        <translation>截图：{step}</translation>
    </message>
</context>
<context>
    <name>GuideController</name>
    <message>
        <source>Choose a guide photo or sketch</source>
        <translation>选择作为引导图的照片或草图</translation>
    </message>
    <message>
        <source>Pictures ({patterns})</source>
        <translation>图片（{patterns}）</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>{name} cannot be the guide: {reason}</source>
        <translation>{name} 不能作为引导图：{reason}</translation>
    </message>
    <message>
        <source>Guide problem</source>
        <translation>引导图问题</translation>
    </message>
    <message>
        <source>{name} cannot be the guide.</source>
        <translation>{name} 不能作为引导图。</translation>
    </message>
    <message>
        <source>Guide: {name}</source>
        <translation>引导图：{name}</translation>
    </message>
    <message>
        <source>The next gallery follows {name}</source>
        <translation>下一个画廊将参照 {name}</translation>
    </message>
    <message>
        <source>Draw guide</source>
        <translation>绘制引导图</translation>
    </message>
    <message>
        <source>Clear guide</source>
        <translation>清除引导图</translation>
    </message>
    <message>
        <source>the project&apos;s guide</source>
        <translation>项目的引导图</translation>
    </message>
    <message>
        <source>The project&apos;s guide could not be read; it was left out.</source>
        <translation>无法读取项目的引导图；已将其略去。</translation>
    </message>
</context>
<context>
    <name>GuideDrop</name>
    <message>
        <source>Guide picture</source>
        <translation>引导图</translation>
    </message>
    <message>
        <source>Drop a photo or sketch here
(or click to choose one)</source>
        <translation>把照片或草图拖到这里
（或点击选择）</translation>
    </message>
</context>
<context>
    <name>ImageView</name>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Select a sample or a work to see it here with its facts.</source>
        <translation>选择一个样本或作品，在这里查看它和它的信息。</translation>
    </message>
    <message>
        <source>The selected sample or work: wheel or Ctrl +/- zooms, Ctrl 0 fits, drag pans; in brush mode the left button paints the repaint mask, the right button erases it</source>
        <translation>选中的样本或作品：滚轮或 Ctrl +/- 缩放，Ctrl 0 适合窗口，拖动平移；在画笔模式下，左键涂画重绘蒙版，右键擦除</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play or stop the melody with the built-in synth (Space in the gallery)</source>
        <translation>用内置合成器播放或停止旋律（在画廊中按空格键）</translation>
    </message>
    <message>
        <source> % tempo</source>
        <translation> % 速度</translation>
    </message>
    <message>
        <source>Playback speed, as a share of the melody&apos;s own tempo (exports keep the tempo)</source>
        <translation>播放速度，占旋律本身速度的百分比（导出时保持原速度）</translation>
    </message>
    <message>
        <source>Bars chosen for “Regenerate bars”</source>
        <translation>为“重新生成小节”选定的小节</translation>
    </message>
    <message>
        <source>Dominant colours</source>
        <translation>主色</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Brush mode (B): paint the region to repaint with the left button, erase with the right button</source>
        <translation>画笔模式（B）：用左键涂出要重绘的区域，用右键擦除</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Brush diameter in the painting&apos;s pixels</source>
        <translation>画笔直径（以画作的像素计）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the repaint mask</source>
        <translation>清除重绘蒙版</translation>
    </message>
    <message>
        <source>Repaint</source>
        <translation>重绘</translation>
    </message>
    <message>
        <source>Brush a region of a gallery painting first</source>
        <translation>请先在画廊的画作上涂出一个区域</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合</translation>
    </message>
    <message>
        <source>Fit the picture to the view (Ctrl+0); the wheel or Ctrl +/- zooms</source>
        <translation>让图片适合视图（Ctrl+0）；滚轮或 Ctrl +/- 缩放</translation>
    </message>
    <message>
        <source>Zoom: 100 % shows the painting&apos;s actual pixels</source>
        <translation>缩放：100 % 显示画作的实际像素</translation>
    </message>
    <message>
        <source>Closeness of variations: right keeps the composition and most detail, left keeps only a sketch of it</source>
        <translation>变体的贴近度：越往右越保留构图和大部分细节，越往左只保留大致轮廓</translation>
    </message>
    <message>
        <source>Variation closeness</source>
        <translation>变体贴近度</translation>
    </message>
    <message>
        <source>&lt;b&gt;Inspector&lt;/b&gt;</source>
        <translation>&lt;b&gt;检查器&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Guided by {name}</source>
        <translation>参照引导图 {name}</translation>
    </message>
    <message>
        <source>, closeness {value} %</source>
        <translation>，贴近度 {value} %</translation>
    </message>
    <message>
        <source>Paint the brushed region anew, blending it into the rest (Ctrl+Shift+R)</source>
        <translation>重画涂出的区域，并与其余部分融合（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <source>{tip}. {reason}.</source>
        <translation>{tip}。{reason}。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Bars {numbers} chosen</source>
        <translation>已选第 {numbers} 小节</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System ({language})</source>
        <translation>跟随系统（{language}）</translation>
    </message>
    <message>
        <source>Show the window in this language from the next start</source>
        <translation>下次启动时以此语言显示窗口</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language applies the next time the studio starts.</source>
        <translation>新的语言将在下次启动工作室时生效。</translation>
    </message>
</context>
<context>
    <name>LossCurve</name>
    <message>
        <source>The adaptation loss appears here, step by step.</source>
        <translation>适应损失会在这里逐步显示。</translation>
    </message>
    <message>
        <source>Adaptation loss per step: lower means the model fits your samples better</source>
        <translation>每一步的适应损失：越低表示模型越贴合你的样本</translation>
    </message>
    <message>
        <source>Adaptation loss curve</source>
        <translation>适应损失曲线</translation>
    </message>
    <message>
        <source>{n} steps</source>
        <translation>{n} 步</translation>
    </message>
    <message>
        <source>1 step</source>
        <translation>1 步</translation>
    </message>
    <message>
        <source>{steps}: loss {first} → {last}</source>
        <translation>{steps}：损失 {first} → {last}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Drop paintings or MIDI melodies on the window to begin.</source>
        <translation>把画作或 MIDI 旋律拖到窗口上即可开始。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Adaptation</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>Painting</source>
        <translation>画作</translation>
    </message>
    <message>
        <source>Taste</source>
        <translation>品味</translation>
    </message>
    <message>
        <source>The {panel} panel (View menu shows or hides it)</source>
        <translation>“{panel}”面板（可在“视图”菜单中显示或隐藏）</translation>
    </message>
    <message>
        <source>Restored the autosaved project; save it to keep it.</source>
        <translation>已恢复自动保存的项目；请保存以留住它。</translation>
    </message>
    <message>
        <source>Restore failed</source>
        <translation>恢复失败</translation>
    </message>
    <message>
        <source>The autosave could not be restored: {reason}</source>
        <translation>无法恢复自动保存：{reason}</translation>
    </message>
    <message>
        <source>Meta-Creation Studio</source>
        <translation>元创作工作室</translation>
    </message>
    <message>
        <source>Autosave failed: {reason}</source>
        <translation>自动保存失败：{reason}</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Meta-Creation Studio&lt;/h3&gt;&lt;p&gt;Learns the style of an artist or a musician from a few works, on a laptop, with meta-learning.&lt;/p&gt;&lt;p&gt;Import 3–10 paintings or melodies; the studio analyses each one (size, palette; key, tempo, meter, range). Where a meta-trained generator for them is installed, a few gradient steps adapt it to your samples and it creates new works.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;元创作工作室（Meta-Creation Studio）&lt;/h3&gt;&lt;p&gt;借助元学习，在笔记本电脑上从少量作品中学习一位画家或音乐家的风格。&lt;/p&gt;&lt;p&gt;导入 3–10 幅画作或段旋律，工作室会逐一分析（尺寸、调色板；调、速度、拍号、音域）。如果装有对应的元训练生成器，几步梯度更新就能让它适应你的样本并创作新作品。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Meta-Creation Studio</source>
        <translation>关于元创作工作室</translation>
    </message>
</context>
<context>
    <name>MelodyActions</name>
    <message>
        <source>&amp;Generate Melodies</source>
        <translation>生成旋律(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>变体(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Blend Two</source>
        <translation>融合两幅(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>续写(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Regenerate Bars</source>
        <translation>重新生成小节(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;More Like These</source>
        <translation>更多类似作品(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Melodies</source>
        <translation>旋律(&amp;M)</translation>
    </message>
</context>
<context>
    <name>MelodyControlsPanel</name>
    <message>
        <source>as samples</source>
        <translation>同样本</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>major</source>
        <translation>大调</translation>
    </message>
    <message>
        <source>natural minor</source>
        <translation>自然小调</translation>
    </message>
    <message>
        <source>harmonic minor</source>
        <translation>和声小调</translation>
    </message>
    <message>
        <source>dorian</source>
        <translation>多利亚</translation>
    </message>
    <message>
        <source>mixolydian</source>
        <translation>混合利底亚</translation>
    </message>
    <message>
        <source>major pentatonic</source>
        <translation>大调五声</translation>
    </message>
    <message>
        <source>minor pentatonic</source>
        <translation>小调五声</translation>
    </message>
    <message>
        <source>blues</source>
        <translation>布鲁斯</translation>
    </message>
    <message>
        <source>How many melodies one Generate makes</source>
        <translation>每次“生成”产生多少段旋律</translation>
    </message>
    <message>
        <source>{n} bars</source>
        <translation>{n} 小节</translation>
    </message>
    <message>
        <source>Length of each new melody; Continue adds this many bars</source>
        <translation>每段新旋律的长度；“续写”会添加这么多小节</translation>
    </message>
    <message>
        <source>Adventurousness: left is safer and closer to your samples, right is bolder (sampling temperature)</source>
        <translation>大胆程度：越往左越稳妥、越接近样本，越往右越大胆（采样温度）</translation>
    </message>
    <message>
        <source>Key of the new melodies (default: the samples&apos; key)</source>
        <translation>新旋律的调（默认：样本的调）</translation>
    </message>
    <message>
        <source>Scale of the new melodies (default: major or minor, as the samples&apos; key)</source>
        <translation>新旋律的音阶（默认：按样本的调取大调或小调）</translation>
    </message>
    <message>
        <source>Lock to scale</source>
        <translation>锁定音阶</translation>
    </message>
    <message>
        <source>No note outside the key&apos;s scale (guaranteed)</source>
        <translation>不出现调式音阶以外的音（保证）</translation>
    </message>
    <message>
        <source> st</source>
        <translation> 半音</translation>
    </message>
    <message>
        <source>Transpose the chosen key up or down, in semitones</source>
        <translation>把所选的调升高或降低若干半音</translation>
    </message>
    <message>
        <source>Meter of the new melodies (default: the samples&apos; meter)</source>
        <translation>新旋律的拍号（默认：样本的拍号）</translation>
    </message>
    <message>
        <source> BPM</source>
        <translation> BPM</translation>
    </message>
    <message>
        <source>Tempo written into the new melodies (auto: the samples&apos; tempo)</source>
        <translation>写入新旋律的速度（自动：样本的速度）</translation>
    </message>
    <message>
        <source>Lowest note allowed (auto: the samples&apos; range)</source>
        <translation>允许的最低音（自动：样本的音域）</translation>
    </message>
    <message>
        <source>Highest note allowed (auto: the samples&apos; range)</source>
        <translation>允许的最高音（自动：样本的音域）</translation>
    </message>
    <message>
        <source>Rhythmic density: left for longer notes, right for busier rhythms</source>
        <translation>节奏密度：越往左音符越长，越往右节奏越密</translation>
    </message>
    <message>
        <source>Idioms: how much new melodies reuse your samples&apos; own rhythm and note patterns (left: the model&apos;s own phrasing, right: your clips&apos; patterns, recombined)</source>
        <translation>语汇：新旋律在多大程度上沿用样本自身的节奏和音型（左：模型自己的乐句，右：重新组合你的片段中的音型）</translation>
    </message>
    <message>
        <source>Closeness of variations: right keeps the motif and most bars, left changes more</source>
        <translation>变体的贴近度：越往右越保留动机和大部分小节，越往左改动越多</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Blend Two</source>
        <translation>融合两个</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Regenerate Bars</source>
        <translation>重新生成小节</translation>
    </message>
    <message>
        <source>More Like These</source>
        <translation>更多类似作品</translation>
    </message>
    <message>
        <source>Add a few melodies first: the studio learns their style</source>
        <translation>请先添加几段旋律：工作室会学习它们的风格</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Adventurousness</source>
        <translation>大胆程度</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>音阶</translation>
    </message>
    <message>
        <source>Chords</source>
        <translation>和弦</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>Note range</source>
        <translation>音域</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>Idioms</source>
        <translation>语汇</translation>
    </message>
    <message>
        <source>New melodies</source>
        <translation>新旋律</translation>
    </message>
    <message>
        <source>as chords</source>
        <translation>同和弦</translation>
    </message>
    <message>
        <source>Key of the new melodies; {like} = {key}</source>
        <translation>新旋律的调；{like} = {key}</translation>
    </message>
    <message>
        <source>Key of the new melodies</source>
        <translation>新旋律的调</translation>
    </message>
    <message>
        <source>Tempo written into the new melodies</source>
        <translation>写入新旋律的速度</translation>
    </message>
    <message>
        <source>{bpm} BPM</source>
        <translation>{bpm} BPM</translation>
    </message>
    <message>
        <source>Lowest note allowed</source>
        <translation>允许的最低音</translation>
    </message>
    <message>
        <source>Highest note allowed</source>
        <translation>允许的最高音</translation>
    </message>
    <message>
        <source>{tip}; auto follows the samples</source>
        <translation>{tip}；“自动”跟随样本</translation>
    </message>
    <message>
        <source>Fix the chords first: {error}</source>
        <translation>请先修正和弦：{error}</translation>
    </message>
</context>
<context>
    <name>PaintingActions</name>
    <message>
        <source>Br&amp;ush Mask</source>
        <translation>画笔蒙版(&amp;U)</translation>
    </message>
    <message>
        <source>Brush mode in the inspector: paint the region to repaint (right button erases)</source>
        <translation>检查器中的画笔模式：涂出要重绘的区域（右键擦除）</translation>
    </message>
    <message>
        <source>&amp;Generate Paintings</source>
        <translation>生成画作(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>变体(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Blend Two</source>
        <translation>融合两幅(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Repaint Region</source>
        <translation>重绘区域(&amp;R)</translation>
    </message>
    <message>
        <source>Render &amp;Larger</source>
        <translation>放大渲染(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;More Like These</source>
        <translation>更多类似作品(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Clear Mask</source>
        <translation>清除蒙版(&amp;C)</translation>
    </message>
    <message>
        <source>Clear the repaint mask brushed in the inspector</source>
        <translation>清除在检查器中涂出的重绘蒙版</translation>
    </message>
    <message>
        <source>&amp;Fit Picture</source>
        <translation>图片适合视图(&amp;F)</translation>
    </message>
    <message>
        <source>Fit the inspector&apos;s picture to its view (the wheel or Ctrl +/- zooms it)</source>
        <translation>让检查器中的图片适合视图（滚轮或 Ctrl +/- 缩放）</translation>
    </message>
    <message>
        <source>C&amp;hoose Guide…</source>
        <translation>选择引导图(&amp;H)…</translation>
    </message>
    <message>
        <source>Use a photo or a sketch file as the guide of the next gallery</source>
        <translation>用照片或草图文件作为下一个画廊的引导图</translation>
    </message>
    <message>
        <source>&amp;Draw Guide…</source>
        <translation>绘制引导图(&amp;D)…</translation>
    </message>
    <message>
        <source>Draw the guide on a canvas with your samples&apos; colours</source>
        <translation>用样本的颜色在画布上绘制引导图</translation>
    </message>
    <message>
        <source>Clear Guid&amp;e</source>
        <translation>清除引导图(&amp;E)</translation>
    </message>
    <message>
        <source>No guide: the next gallery composes anew</source>
        <translation>不用引导图：下一个画廊重新构图</translation>
    </message>
    <message>
        <source>&amp;Paintings</source>
        <translation>画作(&amp;P)</translation>
    </message>
</context>
<context>
    <name>PaintingControlsPanel</name>
    <message>
        <source>like the samples</source>
        <translation>同样本</translation>
    </message>
    <message>
        <source>square 1:1</source>
        <translation>方形 1:1</translation>
    </message>
    <message>
        <source>landscape 4:3</source>
        <translation>横幅 4:3</translation>
    </message>
    <message>
        <source>portrait 3:4</source>
        <translation>竖幅 3:4</translation>
    </message>
    <message>
        <source>wide 16:9</source>
        <translation>宽幅 16:9</translation>
    </message>
    <message>
        <source>tall 9:16</source>
        <translation>长竖幅 9:16</translation>
    </message>
    <message>
        <source>square</source>
        <translation>方形</translation>
    </message>
    <message>
        <source>landscape</source>
        <translation>横幅</translation>
    </message>
    <message>
        <source>portrait</source>
        <translation>竖幅</translation>
    </message>
    <message>
        <source>How many paintings one Generate (or Adapt) makes</source>
        <translation>每次“生成”（或“适应”）产生多少幅画作</translation>
    </message>
    <message>
        <source>{side} px (fast)</source>
        <translation>{side} 像素（快）</translation>
    </message>
    <message>
        <source>{side} px</source>
        <translation>{side} 像素</translation>
    </message>
    <message>
        <source>Long side of new paintings; 256 px paints fastest on a laptop CPU, Render Larger repaints a chosen one at 512 or 1024 px</source>
        <translation>新画作的长边；在笔记本电脑 CPU 上 256 像素画得最快，“放大渲染”可把选中的画作以 512 或 1024 像素重画</translation>
    </message>
    <message>
        <source>Shape of new paintings (width : height); default: the samples&apos; median shape</source>
        <translation>新画作的画幅（宽 : 高）；默认：样本的中位画幅</translation>
    </message>
    <message>
        <source>Composition: left keeps the samples&apos; compositions closely, right invents freely</source>
        <translation>构图：越往左越贴近样本的构图，越往右越自由发挥</translation>
    </message>
    <message>
        <source>Texture: the strength of the painted detail (brushwork, grain); left is smoother, right is busier</source>
        <translation>质感：画面细节（笔触、颗粒）的强度；越往左越平滑，越往右越丰富</translation>
    </message>
    <message>
        <source>Brushwork: how much of the fine detail is rebuilt from your paintings&apos; own strokes; left keeps the network&apos;s grain, right takes all of it from the samples</source>
        <translation>笔触：有多少细节用你的画作自身的笔触重建；越往左越保留网络的纹理，越往右全部取自样本</translation>
    </message>
    <message>
        <source>Closeness of variations: right keeps the composition and most detail, left keeps only a sketch of it</source>
        <translation>变体的贴近度：越往右越保留构图和大部分细节，越往左只保留大致轮廓</translation>
    </message>
    <message>
        <source>Long side of the larger render</source>
        <translation>放大渲染的长边</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Blend Two</source>
        <translation>融合两个</translation>
    </message>
    <message>
        <source>Repaint Region</source>
        <translation>重绘区域</translation>
    </message>
    <message>
        <source>Render Larger</source>
        <translation>放大渲染</translation>
    </message>
    <message>
        <source>More Like These</source>
        <translation>更多类似作品</translation>
    </message>
    <message>
        <source>Add a few paintings first: the studio learns their style</source>
        <translation>请先添加几幅画作：工作室会学习它们的风格</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Aspect</source>
        <translation>画幅</translation>
    </message>
    <message>
        <source>Composition</source>
        <translation>构图</translation>
    </message>
    <message>
        <source>Texture</source>
        <translation>质感</translation>
    </message>
    <message>
        <source>Brushwork</source>
        <translation>笔触</translation>
    </message>
    <message>
        <source>New paintings</source>
        <translation>新画作</translation>
    </message>
    <message>
        <source>The guide: drop a photo or a sketch here, or click to choose one; every painting of the next gallery follows its composition</source>
        <translation>引导图：把照片或草图拖到这里，或点击选择；下一个画廊的每幅画作都会参照它的构图</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Use a photo or a sketch file as the guide</source>
        <translation>用照片或草图文件作为引导图</translation>
    </message>
    <message>
        <source>Draw…</source>
        <translation>绘制…</translation>
    </message>
    <message>
        <source>Draw the guide on a canvas with your samples&apos; colours</source>
        <translation>用样本的颜色在画布上绘制引导图</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No guide: the next gallery composes anew (undoable)</source>
        <translation>不用引导图：下一个画廊重新构图（可撤销）</translation>
    </message>
    <message>
        <source>Closeness to the guide: right traces its shapes and values closely, left keeps only its big masses and loosely recomposes them (each painting then moves them a little)</source>
        <translation>与引导图的贴近度：越往右越紧贴它的形状和明暗，越往左只保留大块面并松散地重新组合（每幅画作会稍作移动）</translation>
    </message>
    <message>
        <source>Loose</source>
        <translation>松散</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>描摹</translation>
    </message>
    <message>
        <source>Guide</source>
        <translation>引导图</translation>
    </message>
    <message>
        <source>Closeness</source>
        <translation>贴近度</translation>
    </message>
    <message>
        <source>The guide sets the shape of new paintings; clear it to choose another</source>
        <translation>引导图决定新画作的画幅；清除引导图后才能另选</translation>
    </message>
    <message>
        <source>The guide gives the composition (Closeness sets how closely it is followed); clear it to compose anew</source>
        <translation>引导图决定构图（“贴近度”决定跟随得多紧）；清除它即可重新构图</translation>
    </message>
    <message>
        <source>No guide: each painting gets a new composition.</source>
        <translation>没有引导图：每幅画作都会有新的构图。</translation>
    </message>
    <message>
        <source>{name}, {width} × {height} px: the paintings take its shape</source>
        <translation>{name}，{width} × {height} 像素：画作将采用它的画幅</translation>
    </message>
</context>
<context>
    <name>PaletteSwatches</name>
    <message>
        <source>no palette</source>
        <translation>无调色板</translation>
    </message>
    <message>
        <source>{colour} – {share} of the picture</source>
        <translation>{colour} – 占画面 {share}</translation>
    </message>
</context>
<context>
    <name>PianoRollWidget</name>
    <message>
        <source>Piano roll</source>
        <translation>钢琴卷帘</translation>
    </message>
    <message>
        <source>Click or drag over bars to choose them for “Regenerate bars”; Shift-click extends, Ctrl-click toggles, Esc clears; Left and Right choose bars from the keyboard</source>
        <translation>点击或拖选小节，为“重新生成小节”选定它们；Shift+点击扩展，Ctrl+点击切换，Esc 清除；也可用左右方向键选择小节</translation>
    </message>
    <message>
        <source>The selected melody as a piano roll</source>
        <translation>以钢琴卷帘显示的选中旋律</translation>
    </message>
    <message>
        <source>No melody selected</source>
        <translation>未选择旋律</translation>
    </message>
</context>
<context>
    <name>Placement</name>
    <message>
        <source>Instant gallery</source>
        <translation>即时画廊</translation>
    </message>
    <message>
        <source>Adaptation previews</source>
        <translation>适应预览</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Adapted gallery</source>
        <translation>适应后的画廊</translation>
    </message>
    <message>
        <source>More like these</source>
        <translation>更多类似作品</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Blend</source>
        <translation>融合</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Regenerate bars</source>
        <translation>重新生成小节</translation>
    </message>
    <message>
        <source>Repaint region</source>
        <translation>重绘区域</translation>
    </message>
    <message>
        <source>Render larger</source>
        <translation>放大渲染</translation>
    </message>
    <message>
        <source>1 painting</source>
        <translation>1 幅画作</translation>
    </message>
    <message>
        <source>{n} paintings</source>
        <translation>{n} 幅画作</translation>
    </message>
    <message>
        <source>1 melody</source>
        <translation>1 段旋律</translation>
    </message>
    <message>
        <source>{n} melodies</source>
        <translation>{n} 段旋律</translation>
    </message>
    <message>
        <source>1 new painting</source>
        <translation>1 幅新画作</translation>
    </message>
    <message>
        <source>{n} new paintings</source>
        <translation>{n} 幅新画作</translation>
    </message>
    <message>
        <source>1 new melody</source>
        <translation>1 段新旋律</translation>
    </message>
    <message>
        <source>{n} new melodies</source>
        <translation>{n} 段新旋律</translation>
    </message>
    <message>
        <source>Adapting — step {step}</source>
        <translation>适应中 — 第 {step} 步</translation>
    </message>
</context>
<context>
    <name>PlaybackController</name>
    <message>
        <source>Select a melody to play it.</source>
        <translation>请选择要播放的旋律。</translation>
    </message>
    <message>
        <source>Built-in Synth</source>
        <translation>内置合成器</translation>
    </message>
    <message>
        <source>Play melodies with the studio&apos;s own preview synth</source>
        <translation>用工作室自带的预览合成器播放旋律</translation>
    </message>
    <message>
        <source>No MIDI Ports: Install python-rtmidi</source>
        <translation>没有 MIDI 端口：请安装 python-rtmidi</translation>
    </message>
    <message>
        <source>No MIDI Service on This System</source>
        <translation>此系统没有 MIDI 服务</translation>
    </message>
    <message>
        <source>Install the python-rtmidi package to use MIDI ports: {command}</source>
        <translation>安装 python-rtmidi 软件包即可使用 MIDI 端口：{command}</translation>
    </message>
    <message>
        <source>The system&apos;s MIDI service did not answer: {reason}</source>
        <translation>系统的 MIDI 服务没有响应：{reason}</translation>
    </message>
    <message>
        <source>Send melodies to the MIDI port {name} (a DAW or a synth listening there)</source>
        <translation>把旋律发送到 MIDI 端口 {name}（由在那里监听的 DAW 或合成器接收）</translation>
    </message>
    <message>
        <source>No MIDI output ports found</source>
        <translation>未找到 MIDI 输出端口</translation>
    </message>
    <message>
        <source>Playing through the built-in synth</source>
        <translation>正在通过内置合成器播放</translation>
    </message>
    <message>
        <source>MIDI output not changed: {reason}</source>
        <translation>MIDI 输出未更改：{reason}</translation>
    </message>
    <message>
        <source>Playing through the MIDI port {name}</source>
        <translation>正在通过 MIDI 端口 {name} 播放</translation>
    </message>
    <message>
        <source>The recording could not be saved in {folder}: {reason}</source>
        <translation>录音无法保存到 {folder}：{reason}</translation>
    </message>
    <message>
        <source>Recording saved as {path}</source>
        <translation>录音已保存为 {path}</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>No audio output: playback is off; MIDI export still works</source>
        <translation>没有音频输出：无法播放；MIDI 导出仍可使用</translation>
    </message>
    <message>
        <source>Playback stopped: the output changed</source>
        <translation>播放已停止：输出设备已改变</translation>
    </message>
    <message>
        <source>MIDI output lost ({reason}); playback uses the built-in synth</source>
        <translation>MIDI 输出中断（{reason}）；改用内置合成器播放</translation>
    </message>
</context>
<context>
    <name>Progress</name>
    <message>
        <source>painting {i} of {n}</source>
        <translation>第 {i} 幅画作，共 {n} 幅</translation>
    </message>
    <message>
        <source>level {i} of {n}</source>
        <translation>第 {i} 层，共 {n} 层</translation>
    </message>
    <message>
        <source>step {step}, loss {loss}</source>
        <translation>第 {step} 步，损失 {loss}</translation>
    </message>
    <message>
        <source>hypernetwork step {step}: mse {loss}</source>
        <translation>超网络第 {step} 步：均方误差 {loss}</translation>
    </message>
    <message>
        <source>{i} of {n} melodies written</source>
        <translation>已写出 {i}/{n} 段旋律</translation>
    </message>
    <message>
        <source>{i} of {n} melodies</source>
        <translation>已生成 {i}/{n} 段旋律</translation>
    </message>
    <message>
        <source>Looking for samples: {n} files seen</source>
        <translation>正在查找样本：已查看 {n} 个文件</translation>
    </message>
    <message>
        <source>Reading {name} ({i} of {n})</source>
        <translation>正在读取 {name}（第 {i} 个，共 {n} 个）</translation>
    </message>
    <message>
        <source>Imported {i} of {n} files</source>
        <translation>已导入 {n} 个文件中的 {i} 个</translation>
    </message>
    <message>
        <source>Learning engine ready</source>
        <translation>学习引擎已就绪</translation>
    </message>
</context>
<context>
    <name>ProjectSession</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation>关闭前要保存对“{name}”的更改吗？</translation>
    </message>
    <message>
        <source>Your changes are lost if you don&apos;t save them.</source>
        <translation>如果不保存，你的更改将会丢失。</translation>
    </message>
    <message>
        <source> (from {path})</source>
        <translation>（来自 {path}）</translation>
    </message>
    <message>
        <source> (never saved)</source>
        <translation>（从未保存）</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>The studio did not close properly last time. Restore “{title}”{source}, autosaved {when}?

If you choose No, the autosave is deleted.</source>
        <translation>工作室上次没有正常关闭。要恢复“{title}”{source}（自动保存于 {when}）吗？

如果选择“否”，自动保存将被删除。</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Import samples</source>
        <translation>导入样本</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Record from MIDI Keyboard</source>
        <translation>从 MIDI 键盘录制</translation>
    </message>
    <message>
        <source>The MIDI input port your keyboard is connected to</source>
        <translation>键盘所连接的 MIDI 输入端口</translation>
    </message>
    <message>
        <source> BPM</source>
        <translation> BPM</translation>
    </message>
    <message>
        <source>The tempo you play at: the clip&apos;s bars and beats follow from it</source>
        <translation>你演奏时的速度：片段的小节和拍子据此划分</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Start recording; press again to stop</source>
        <translation>开始录制；再按一次停止</translation>
    </message>
    <message>
        <source>Use Recording</source>
        <translation>使用录音</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Press Record and play</source>
        <translation>按“录制”后开始演奏</translation>
    </message>
    <message>
        <source>No MIDI input ports found</source>
        <translation>未找到 MIDI 输入端口</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Record again</source>
        <translation>重新录制</translation>
    </message>
    <message>
        <source>Recording... {seconds} s, {notes} notes</source>
        <translation>正在录制… {seconds} 秒，{notes} 个音符</translation>
    </message>
    <message>
        <source>Recorded {notes} notes</source>
        <translation>已录制 {notes} 个音符</translation>
    </message>
</context>
<context>
    <name>SampleBin</name>
    <message>
        <source>Drop paintings (PNG, JPEG, ...) or MIDI melodies here, or a folder of them.

File &gt; Import... (Ctrl+I) works too. One project holds one kind: paintings or melodies.</source>
        <translation>把画作（PNG、JPEG 等）或 MIDI 旋律拖到这里，也可以拖入整个文件夹。

也可使用“文件 &gt; 导入…”（Ctrl+I）。一个项目只能有一种类型：画作或旋律。</translation>
    </message>
    <message>
        <source>Your samples. Drag to reorder; Delete removes; hover for facts.</source>
        <translation>你的样本。拖动可调整顺序；Delete 删除；鼠标悬停查看信息。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>No samples yet</source>
        <translation>还没有样本</translation>
    </message>
    <message>
        <source>1 painting</source>
        <translation>1 幅画作</translation>
    </message>
    <message>
        <source>{n} paintings</source>
        <translation>{n} 幅画作</translation>
    </message>
    <message>
        <source>1 melody</source>
        <translation>1 段旋律</translation>
    </message>
    <message>
        <source>{n} melodies</source>
        <translation>{n} 段旋律</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Menu keys</source>
        <translation>菜单访问键</translation>
    </message>
</context>
<context>
    <name>SketchCanvas</name>
    <message>
        <source>Sketch canvas</source>
        <translation>草图画布</translation>
    </message>
    <message>
        <source>Draw the composition: the left button (or a pen) paints with the chosen tool; [ and ] change the brush size</source>
        <translation>绘制构图：左键（或数位笔）使用所选工具作画；[ 和 ] 调整画笔大小</translation>
    </message>
</context>
<context>
    <name>SketchDialog</name>
    <message>
        <source>Draw a guide</source>
        <translation>绘制引导图</translation>
    </message>
    <message>
        <source>Use as guide</source>
        <translation>用作引导图</translation>
    </message>
    <message>
        <source>Paint the next gallery from this drawing&apos;s composition</source>
        <translation>按这幅草图的构图绘制下一个画廊</translation>
    </message>
    <message>
        <source>Lay in the big masses (sky, ground, shapes) in their colours and values; the studio paints the detail in your samples&apos; manner.</source>
        <translation>用相应的颜色和明暗铺出大块面（天空、地面、形体）；工作室会按样本的手法画出细节。</translation>
    </message>
    <message>
        <source>Brush (B): paint round strokes in the chosen colour</source>
        <translation>画笔（B）：用所选颜色画圆形笔触</translation>
    </message>
    <message>
        <source>Eraser (E): paint back the ground colour</source>
        <translation>橡皮擦（E）：涂回底色</translation>
    </message>
    <message>
        <source>Fill (F): fill the region of similar colour under the click, for big masses</source>
        <translation>填充（F）：填满点击处颜色相近的区域，适合大块面</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Brush size in the canvas&apos;s pixels ([ smaller, ] larger)</source>
        <translation>画笔大小（以画布像素计；[ 缩小，] 放大）</translation>
    </message>
    <message>
        <source>Hardness: left a soft airbrush edge, right a hard-edged disc</source>
        <translation>硬度：越往左边缘越柔和（喷枪），越往右边缘越清晰</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo the last stroke, fill or clear (Ctrl+Z)</source>
        <translation>撤销上一次笔触、填充或清除（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Redo what was undone (Ctrl+Shift+Z)</source>
        <translation>重做被撤销的操作（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Fill the whole canvas with the ground colour (undoable)</source>
        <translation>用底色填满整个画布（可撤销）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Hardness</source>
        <translation>硬度</translation>
    </message>
    <message>
        <source>Your samples&apos; colours: click one to paint with it</source>
        <translation>样本的颜色：点击一种即可用它作画</translation>
    </message>
    <message>
        <source>Samples&apos; palette</source>
        <translation>样本调色板</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Choose any colour to paint with</source>
        <translation>选择任意颜色作画</translation>
    </message>
    <message>
        <source>as opened ({shape})</source>
        <translation>同打开时（{shape}）</translation>
    </message>
    <message>
        <source>The canvas&apos;s shape: the paintings made from the guide take it</source>
        <translation>画布的画幅：根据引导图生成的画作将采用它</translation>
    </message>
    <message>
        <source>Palette</source>
        <translation>调色板</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>画幅</translation>
    </message>
    <message>
        <source>Brush colour</source>
        <translation>画笔颜色</translation>
    </message>
    <message>
        <source>Draw something first: a blank canvas has no composition</source>
        <translation>请先画点什么：空白画布没有构图</translation>
    </message>
</context>
<context>
    <name>TasteController</name>
    <message>
        <source>Learning your taste</source>
        <translation>正在学习你的品味</translation>
    </message>
    <message>
        <source>Let the studio choose</source>
        <translation>让工作室挑选</translation>
    </message>
    <message>
        <source>Stop letting the studio choose</source>
        <translation>不再让工作室挑选</translation>
    </message>
    <message>
        <source>Reset taste</source>
        <translation>重置品味</translation>
    </message>
    <message>
        <source>Taste reset: the keeps and rejects so far no longer count (Undo brings them back).</source>
        <translation>品味已重置：此前的保留和舍弃不再计入（撤销可恢复）。</translation>
    </message>
    <message>
        <source>Sorted by taste once the studio has learnt some: keep or reject works first.</source>
        <translation>工作室学到品味后才会按品味排序：请先保留或舍弃一些作品。</translation>
    </message>
    <message>
        <source>The studio could not learn your taste: {reason}</source>
        <translation>工作室无法学习你的品味：{reason}</translation>
    </message>
    <message>
        <source>Nearest kept</source>
        <translation>最接近的保留作品</translation>
    </message>
    <message>
        <source>Nearest rejected</source>
        <translation>最接近的舍弃作品</translation>
    </message>
    <message>
        <source>Nearest sample</source>
        <translation>最接近的样本</translation>
    </message>
    <message>
        <source>Likely to your taste</source>
        <translation>可能合你的口味</translation>
    </message>
    <message>
        <source>Likely not to your taste</source>
        <translation>可能不合你的口味</translation>
    </message>
    <message>
        <source>The studio is unsure about this one</source>
        <translation>工作室对这件作品还拿不准</translation>
    </message>
    <message>
        <source>Taste {score}</source>
        <translation>品味 {score}</translation>
    </message>
    <message>
        <source>&amp;Taste</source>
        <translation>品味(&amp;T)</translation>
    </message>
    <message>
        <source>Let the Studio &amp;Choose</source>
        <translation>让工作室挑选(&amp;C)</translation>
    </message>
    <message>
        <source>Generate drafts more works and shows those most likely to your taste (automatic: on once you keep or reject works)</source>
        <translation>“生成”会先起草更多作品，再展示最可能合你口味的那些（自动：你保留或舍弃作品后即开启）</translation>
    </message>
    <message>
        <source>&amp;Sort Gallery by Taste</source>
        <translation>按品味排列画廊(&amp;S)</translation>
    </message>
    <message>
        <source>Show the gallery by taste, best first, or as made again (the order the works were made in is kept)</source>
        <translation>按品味排列画廊（最合口味的在前），或恢复生成顺序（作品的生成顺序会保留）</translation>
    </message>
    <message>
        <source>&amp;Reset Taste</source>
        <translation>重置品味(&amp;R)</translation>
    </message>
    <message>
        <source>Forget what the keeps and rejects so far taught the studio; the works keep their marks (undoable)</source>
        <translation>忘掉此前的保留和舍弃教给工作室的东西；作品的标记不变（可撤销）</translation>
    </message>
</context>
<context>
    <name>TastePanel</name>
    <message>
        <source>Let the studio choose</source>
        <translation>让工作室挑选</translation>
    </message>
    <message>
        <source>Let the studio choose: Generate drafts three times as many works and shows those most likely to your taste, with a few it is unsure of to learn from (Ctrl+Shift+T). Automatic: on once you keep or reject works.</source>
        <translation>让工作室挑选：“生成”会起草三倍数量的作品，展示最可能合你口味的那些，并夹带几件它拿不准的作品以便继续学习（Ctrl+Shift+T）。自动：你保留或舍弃作品后即开启。</translation>
    </message>
    <message>
        <source>As made</source>
        <translation>按生成顺序</translation>
    </message>
    <message>
        <source>By taste, best first</source>
        <translation>按品味，最合口味的在前</translation>
    </message>
    <message>
        <source>Gallery order: as the works were made, or by taste with the works most likely to your taste first (Ctrl+Shift+O); the order they were made in is kept</source>
        <translation>画廊顺序：按作品生成的顺序，或按品味把最可能合你口味的作品排在前面（Ctrl+Shift+O）；生成顺序会保留</translation>
    </message>
    <message>
        <source>Reset Taste</source>
        <translation>重置品味</translation>
    </message>
    <message>
        <source>Reset taste: forget what the keeps and rejects so far taught the studio; the works keep their marks (undoable)</source>
        <translation>重置品味：忘掉此前的保留和舍弃教给工作室的东西；作品的标记不变（可撤销）</translation>
    </message>
    <message>
        <source>Gallery &amp;order</source>
        <translation>画廊顺序(&amp;O)</translation>
    </message>
    <message>
        <source>works</source>
        <translation>作品</translation>
    </message>
    <message>
        <source>Nothing learnt yet. Keep (K) or reject (R) {works} in the gallery: from the next gallery on, the studio learns what you like from them.</source>
        <translation>还没有学到什么。在画廊中保留（K）或舍弃（R）{works}：从下一次画廊起，工作室会从中学习你喜欢什么。</translation>
    </message>
    <message>
        <source>Learning from your marks…</source>
        <translation>正在从你的标记中学习…</translation>
    </message>
    <message>
        <source>From {kept} kept and {rejected} rejected {works}; your {samples} samples count a little.</source>
        <translation>依据 {kept} 件保留和 {rejected} 件舍弃的{works}；你的 {samples} 个样本也略计入。</translation>
    </message>
    <message>
        <source>Automatic: on once you keep or reject works.</source>
        <translation>自动：你保留或舍弃作品后即开启。</translation>
    </message>
    <message>
        <source>Turned on by you.</source>
        <translation>已由你开启。</translation>
    </message>
    <message>
        <source>Turned off by you: galleries are made as before.</source>
        <translation>已由你关闭：画廊照旧生成。</translation>
    </message>
</context>
<context>
    <name>TasteWords</name>
    <message>
        <source>higher</source>
        <translation>更高</translation>
    </message>
    <message>
        <source>lower</source>
        <translation>更低</translation>
    </message>
    <message>
        <source>wider</source>
        <translation>音域更宽</translation>
    </message>
    <message>
        <source>narrower</source>
        <translation>音域更窄</translation>
    </message>
    <message>
        <source>busier</source>
        <translation>更繁密</translation>
    </message>
    <message>
        <source>calmer</source>
        <translation>更平静</translation>
    </message>
    <message>
        <source>smoother</source>
        <translation>更平稳</translation>
    </message>
    <message>
        <source>jumpier</source>
        <translation>更跳跃</translation>
    </message>
    <message>
        <source>leapier</source>
        <translation>大跳更多</translation>
    </message>
    <message>
        <source>with fewer leaps</source>
        <translation>大跳更少</translation>
    </message>
    <message>
        <source>more syncopated</source>
        <translation>切分更多</translation>
    </message>
    <message>
        <source>squarer</source>
        <translation>节奏更方正</translation>
    </message>
    <message>
        <source>airier</source>
        <translation>休止更多</translation>
    </message>
    <message>
        <source>more continuous</source>
        <translation>更连贯</translation>
    </message>
    <message>
        <source>ends at home</source>
        <translation>结束在主音</translation>
    </message>
    <message>
        <source>ends open</source>
        <translation>结束得开放</translation>
    </message>
    <message>
        <source>rising</source>
        <translation>上行</translation>
    </message>
    <message>
        <source>falling</source>
        <translation>下行</translation>
    </message>
    <message>
        <source>more repetitive</source>
        <translation>重复更多</translation>
    </message>
    <message>
        <source>more varied</source>
        <translation>变化更多</translation>
    </message>
    <message>
        <source>more chromatic</source>
        <translation>半音更多</translation>
    </message>
    <message>
        <source>more diatonic</source>
        <translation>更自然音阶化</translation>
    </message>
    <message>
        <source>more varied in rhythm</source>
        <translation>节奏更多样</translation>
    </message>
    <message>
        <source>plainer in rhythm</source>
        <translation>节奏更朴素</translation>
    </message>
    <message>
        <source>brighter</source>
        <translation>更明亮</translation>
    </message>
    <message>
        <source>darker</source>
        <translation>更暗</translation>
    </message>
    <message>
        <source>more contrasted</source>
        <translation>对比更强</translation>
    </message>
    <message>
        <source>softer</source>
        <translation>更柔和</translation>
    </message>
    <message>
        <source>more saturated</source>
        <translation>更饱和</translation>
    </message>
    <message>
        <source>more muted</source>
        <translation>更素淡</translation>
    </message>
    <message>
        <source>warmer</source>
        <translation>更暖</translation>
    </message>
    <message>
        <source>cooler</source>
        <translation>更冷</translation>
    </message>
    <message>
        <source>more finely detailed</source>
        <translation>细节更精细</translation>
    </message>
    <message>
        <source>more broadly painted</source>
        <translation>笔触更粗放</translation>
    </message>
    <message>
        <source>lighter at the top</source>
        <translation>上方更亮</translation>
    </message>
    <message>
        <source>lighter at the bottom</source>
        <translation>下方更亮</translation>
    </message>
    <message>
        <source>more shadowed</source>
        <translation>阴影更多</translation>
    </message>
    <message>
        <source>less shadowed</source>
        <translation>阴影更少</translation>
    </message>
    <message>
        <source>more colourful</source>
        <translation>色彩更丰富</translation>
    </message>
    <message>
        <source>more unified in colour</source>
        <translation>色调更统一</translation>
    </message>
    <message>
        <source>greener</source>
        <translation>更绿</translation>
    </message>
    <message>
        <source>less green</source>
        <translation>绿色更少</translation>
    </message>
    <message>
        <source>bluer</source>
        <translation>更蓝</translation>
    </message>
    <message>
        <source>less blue</source>
        <translation>蓝色更少</translation>
    </message>
    <message>
        <source>more centred</source>
        <translation>更集中于中心</translation>
    </message>
    <message>
        <source>more spread out</source>
        <translation>更分散</translation>
    </message>
    <message>
        <source>more horizontal</source>
        <translation>横向线条更多</translation>
    </message>
    <message>
        <source>more vertical</source>
        <translation>纵向线条更多</translation>
    </message>
    <message>
        <source>melodies</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>paintings</source>
        <translation>画作</translation>
    </message>
    <message>
        <source>works</source>
        <translation>作品</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source> and </source>
        <translation>、</translation>
    </message>
    <message>
        <source>You keep {a} {noun} and reject {b} ones.</source>
        <translation>你保留{a}的{noun}，舍弃{b}的。</translation>
    </message>
    <message>
        <source>You keep {a} {noun} than your samples; nothing rejected yet.</source>
        <translation>你保留比样本{a}的{noun}；还没有舍弃任何作品。</translation>
    </message>
    <message>
        <source>You keep {a} {noun}; nothing rejected yet.</source>
        <translation>你保留{a}的{noun}；还没有舍弃任何作品。</translation>
    </message>
    <message>
        <source>You reject {b} {noun} than your samples; nothing kept yet.</source>
        <translation>你舍弃比样本{b}的{noun}；还没有保留任何作品。</translation>
    </message>
    <message>
        <source>You reject {b} {noun}; nothing kept yet.</source>
        <translation>你舍弃{b}的{noun}；还没有保留任何作品。</translation>
    </message>
    <message>
        <source>The {noun} you keep: {a}. The ones you reject: {b}.</source>
        <translation>你保留的{noun}：{a}。你舍弃的：{b}。</translation>
    </message>
    <message>
        <source>The {noun} you keep, compared with your samples: {a}. Nothing rejected yet.</source>
        <translation>你保留的{noun}与样本相比：{a}。还没有舍弃任何作品。</translation>
    </message>
    <message>
        <source>The {noun} you keep: {a}. Nothing rejected yet.</source>
        <translation>你保留的{noun}：{a}。还没有舍弃任何作品。</translation>
    </message>
    <message>
        <source>The {noun} you reject, compared with your samples: {b}. Nothing kept yet.</source>
        <translation>你舍弃的{noun}与样本相比：{b}。还没有保留任何作品。</translation>
    </message>
    <message>
        <source>The {noun} you reject: {b}. Nothing kept yet.</source>
        <translation>你舍弃的{noun}：{b}。还没有保留任何作品。</translation>
    </message>
    <message>
        <source>What you keep and reject differs in no single feature yet: the studio goes by which {noun} they resemble.</source>
        <translation>你保留和舍弃的作品还没有在哪一项特征上明显不同：工作室依据它们像哪些{noun}来判断。</translation>
    </message>
    <message>
        <source>Learnt from {k} kept and {r} rejected {noun} and {s} samples.</source>
        <translation>学自 {k} 件保留、{r} 件舍弃的{noun}和 {s} 个样本。</translation>
    </message>
    <message>
        <source>Learnt from {k} kept and {r} rejected {noun}.</source>
        <translation>学自 {k} 件保留、{r} 件舍弃的{noun}。</translation>
    </message>
    <message>
        <source>Nothing learnt yet: keep or reject works and the studio learns what you like.</source>
        <translation>还没有学到什么：保留或舍弃作品，工作室就会学习你喜欢什么。</translation>
    </message>
    <message>
        <source>{a} than what you reject</source>
        <translation>比你舍弃的作品{a}</translation>
    </message>
    <message>
        <source>{a}, like what you keep</source>
        <translation>{a}，像你保留的作品</translation>
    </message>
    <message>
        <source>{a} than what you keep</source>
        <translation>比你保留的作品{a}</translation>
    </message>
    <message>
        <source>{a}, like what you reject</source>
        <translation>{a}，像你舍弃的作品</translation>
    </message>
    <message>
        <source>closest to a work you kept</source>
        <translation>最接近一件你保留的作品</translation>
    </message>
    <message>
        <source>closest to a work you rejected</source>
        <translation>最接近一件你舍弃的作品</translation>
    </message>
    <message>
        <source>closest to one of your samples</source>
        <translation>最接近你的一个样本</translation>
    </message>
    <message>
        <source>no keeps or rejects yet</source>
        <translation>还没有保留或舍弃</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>TunePicker</name>
    <message>
        <source>Choose tunes from {book}</source>
        <translation>从 {book} 中选择曲调</translation>
    </message>
    <message>
        <source>“{book}” holds {n} tunes. Tick the ones to import as samples.</source>
        <translation>“{book}”共有 {n} 首曲调。勾选要作为样本导入的曲调。</translation>
    </message>
    <message>
        <source>Search titles, keys and meters</source>
        <translation>搜索标题、调和拍号</translation>
    </message>
    <message>
        <source>Search tunes</source>
        <translation>搜索曲调</translation>
    </message>
    <message>
        <source>Tunes</source>
        <translation>曲调</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>Tick all shown</source>
        <translation>勾选所有显示的</translation>
    </message>
    <message>
        <source>Clear all shown</source>
        <translation>取消所有显示的</translation>
    </message>
    <message>
        <source>Tick every tune the search shows (Ctrl+Shift+T)</source>
        <translation>勾选搜索结果中的所有曲调（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <source>Clear every tune the search shows (Ctrl+Shift+A)</source>
        <translation>取消勾选搜索结果中的所有曲调（Ctrl+Shift+A）</translation>
    </message>
    <message>
        <source>{ticked} of {n} ticked, {shown} shown</source>
        <translation>已勾选 {ticked}/{n}，显示 {shown} 首</translation>
    </message>
    <message>
        <source>Import {n} tunes</source>
        <translation>导入 {n} 首曲调</translation>
    </message>
    <message>
        <source>Import 1 tune</source>
        <translation>导入 1 首曲调</translation>
    </message>
</context>
<context>
    <name>WorkCardDelegate</name>
    <message>
        <source>Play or stop this melody (Space)</source>
        <translation>播放或停止这段旋律（空格键）</translation>
    </message>
    <message>
        <source>Keep this work (K)</source>
        <translation>保留这件作品（K）</translation>
    </message>
    <message>
        <source>Reject this work (R)</source>
        <translation>舍弃这件作品（R）</translation>
    </message>
</context>
</TS>
