"""The window's languages: English (the source strings) and Simplified Chinese.

Every string the window shows goes through Qt's translation system (``self.tr(...)`` in
QObject subclasses, :func:`translate` elsewhere); the Chinese lives in
``studio/ui/translations/studio_zh_CN.ts``, which ``pyside6-lupdate`` keeps in step with the
code. The ``.qm`` files Qt loads are built, not committed: ``python -m studio.ui.i18n build``
(run by ``make setup`` and by the bundle) compiles them with the ``lrelease`` that ships in the
PySide6 wheel. The language follows the setting saved by View > Language (System, English,
简体中文), and "System" follows the system locale (``LANG=zh_CN.UTF-8`` gives Chinese). A
missing ``.qm`` falls back to English with one log line. Messages that come from the engine
(the reason a file was refused, a model's notes) stay English inside the window's translated
framing; its usual progress lines are translated by :func:`progress_text`. Command-line
messages stay English. Where the system has no CJK font, a bundled one is registered
(:func:`font_files`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QActionGroup, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from studio.core.samples import Domain
from studio.ui.settings import KEY_LANGUAGE

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
BUNDLED_FONTS = Path(__file__).resolve().parent / "fonts"  # a bundle's CJK font (copied in by `fonts`, not committed)
SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (SYSTEM, ENGLISH, CHINESE)
# Each language is named in its own script, so a reader who cannot read the current one finds theirs.
NATIVE_NAMES = {ENGLISH: "English", CHINESE: "\u7b80\u4f53\u4e2d\u6587"}


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for lupdate in ``context`` and return it untranslated (it is translated where
    shown). Qt's own QT_TRANSLATE_NOOP is typed as returning ``object``; this one types as ``str``."""
    del context
    return text


def translate(context: str, text: str) -> str:
    """``text`` in the window's language; lupdate extracts literal ``translate("Ctx", "...")`` calls."""
    return QCoreApplication.translate(context, text)


def domain_plural(domain: Domain) -> str:
    """'paintings' or 'melodies' in the window's language."""
    if domain is Domain.PAINTING:
        return translate("Domain", "paintings")
    return translate("Domain", "melodies")


def domain_singular(domain: Domain) -> str:
    """'painting' or 'melody' in the window's language."""
    if domain is Domain.PAINTING:
        return translate("Domain", "painting")
    return translate("Domain", "melody")


# -- the engine's progress lines ------------------------------------------------------------------------

# The progress lines the engine reports while a task runs (studio/engine.py, the generators, the
# adaptation loop), shown in the window's language; a line not listed here is shown as it came.
_PROGRESS = [
    (re.compile(r"painting (?P<i>\d+) of (?P<n>\d+)"), QT_TRANSLATE_NOOP("Progress", "painting {i} of {n}")),
    (re.compile(r"level (?P<i>\d+) of (?P<n>\d+)"), QT_TRANSLATE_NOOP("Progress", "level {i} of {n}")),
    (re.compile(r"step (?P<step>\d+), loss (?P<loss>\S+)"), QT_TRANSLATE_NOOP("Progress", "step {step}, loss {loss}")),
    (re.compile(r"hypernetwork step (?P<step>\d+): mse (?P<loss>\S+)"),
     QT_TRANSLATE_NOOP("Progress", "hypernetwork step {step}: mse {loss}")),
    (re.compile(r"(?P<i>\d+) of (?P<n>\d+) melodies written"),
     QT_TRANSLATE_NOOP("Progress", "{i} of {n} melodies written")),
    (re.compile(r"(?P<i>\d+) of (?P<n>\d+) melodies"), QT_TRANSLATE_NOOP("Progress", "{i} of {n} melodies")),
    (re.compile(r"Looking for samples: (?P<n>\d+) files seen"),
     QT_TRANSLATE_NOOP("Progress", "Looking for samples: {n} files seen")),
    (re.compile(r"Reading (?P<name>.+) \((?P<i>\d+) of (?P<n>\d+)\)"),
     QT_TRANSLATE_NOOP("Progress", "Reading {name} ({i} of {n})")),
    (re.compile(r"Imported (?P<i>\d+) of (?P<n>\d+) files"),
     QT_TRANSLATE_NOOP("Progress", "Imported {i} of {n} files")),
    (re.compile(r"Learning engine ready"), QT_TRANSLATE_NOOP("Progress", "Learning engine ready")),
]


def progress_text(message: str) -> str:
    """An engine progress line in the window's language (as it came when it is not a known one)."""
    for pattern, source in _PROGRESS:
        match = pattern.fullmatch(message.strip())
        if match:
            return translate("Progress", source).format(**match.groupdict())
    return message


# -- choosing the language ----------------------------------------------------------------------------


def saved_choice(settings: QSettings) -> str:
    """The language chosen in View > Language: SYSTEM, ENGLISH or CHINESE (SYSTEM when unset or unknown)."""
    value = str(settings.value(KEY_LANGUAGE, SYSTEM) or SYSTEM)
    return value if value in LANGUAGES else SYSTEM


def save_choice(settings: QSettings, choice: str) -> None:
    if choice not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {choice!r}")
    settings.setValue(KEY_LANGUAGE, choice)
    settings.sync()


def system_language(locale: QLocale | None = None) -> str:
    """ENGLISH or CHINESE for the system locale (from LANG / LC_ALL / LC_MESSAGES on Linux).

    Any Chinese locale gets Simplified Chinese, the one Chinese translation there is."""
    locale = locale or QLocale.system()
    names = [locale.name(), *locale.uiLanguages()]
    return CHINESE if any(n.lower().replace("-", "_").startswith("zh") for n in names) else ENGLISH


def resolve(choice: str, locale: QLocale | None = None) -> str:
    """The language a saved ``choice`` means on this system."""
    return system_language(locale) if choice == SYSTEM else choice


# -- the .qm files -------------------------------------------------------------------------------------


def qm_path(language: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"studio_{language}.qm"


def _tool(name: str) -> list[str]:
    """The command for Qt's ``name`` tool (lrelease, lupdate) from the PySide6 wheel."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "libexec" / name):
        if candidate.is_file():
            return [str(candidate)]
    wrapper = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if wrapper:
        return [wrapper]
    raise FileNotFoundError(f"Qt's {name} was not found in the PySide6 package ({folder}); "
                            "reinstall PySide6 (make setup) to build the translations")


def build(source: Path = TRANSLATIONS_DIR, out: Path | None = None) -> list[Path]:
    """Compile every ``studio_*.ts`` in ``source`` to a ``.qm`` in ``out`` (default: beside it)."""
    out = out or source
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for ts in sorted(source.glob("studio_*.ts")):
        qm = out / ts.with_suffix(".qm").name
        result = subprocess.run([*_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not qm.is_file():
            raise RuntimeError(f"{ts}: lrelease failed: {(result.stderr or result.stdout).strip()}")
        built.append(qm)
    return built


def update_sources(ts: Path, ui_folder: Path = Path(__file__).resolve().parent) -> str:
    """Run lupdate over ``ui_folder``'s Python files into ``ts`` (created or updated); its report."""
    files = sorted(str(p) for p in ui_folder.rglob("*.py"))
    language = ts.stem.partition("_")[2] or CHINESE  # studio_zh_CN.ts -> zh_CN
    # Strings gone from the code stay as "vanished" (with their Chinese) until pruned by hand: a
    # checkout whose code is older than its .ts still finds them.
    result = subprocess.run([*_tool("lupdate"), "-locations", "none", "-target-language", language,
                             *files, "-ts", str(ts)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"lupdate failed: {(result.stderr or result.stdout).strip()}")
    return result.stdout


# -- installing the translators ------------------------------------------------------------------------


class Translators:
    """The studio's translator and Qt's own (standard buttons, file dialogs) for one language."""

    def __init__(self) -> None:
        self.language = ENGLISH
        self._installed: list[QTranslator] = []

    def install(self, app: QCoreApplication, language: str, folder: Path = TRANSLATIONS_DIR) -> str:
        """Translate ``app`` into ``language``; the language in effect (ENGLISH when its .qm is missing)."""
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed.clear()
        self.language = ENGLISH
        if language == ENGLISH:
            return ENGLISH
        qm = qm_path(language, folder)
        studio = QTranslator(app)
        if not qm.is_file() or not studio.load(str(qm)):
            log.warning("%s: no compiled translation (run `python -m studio.ui.i18n build`); "
                        "the window stays English", qm)
            return ENGLISH
        app.installTranslator(studio)
        self._installed.append(studio)
        qt = QTranslator(app)
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{language}", qt_folder):
            app.installTranslator(qt)
            self._installed.append(qt)
        self.language = language
        return language


def cjk_font_families() -> list[str]:
    """The installed font families that can show Simplified Chinese (empty: Chinese shows as boxes)."""
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def font_files() -> list[Path]:
    """CJK font files the studio may register: those in ``STUDIO_FONT_DIR`` (or ``studio/ui/fonts``,
    where a bundle puts one) and the Noto Sans CJK collection of the ``noto-cjk-sans-otc`` package
    when it is installed (SIL Open Font License 1.1)."""
    folder = Path(os.environ.get("STUDIO_FONT_DIR") or BUNDLED_FONTS)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".otf", ".ttf", ".ttc", ".otc")) \
        if folder.is_dir() else []
    try:
        import noto_cjk_sans_otc  # type: ignore[import-not-found]  # optional: pip install noto-cjk-sans-otc

        files.append(Path(str(noto_cjk_sans_otc.FONT_PATH)))
    except (ImportError, AttributeError, TypeError):
        pass
    return [f for f in files if f.is_file()]


def add_bundled_fonts() -> list[str]:
    """Register :func:`font_files` with Qt; the families they add (Simplified Chinese ones first)."""
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("%s: Qt could not load this font file", path)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    return sorted(families, key=lambda f: (" SC" not in f, "Mono" in f, f))


def _prefer_families(families: list[str]) -> None:
    """Make ``families`` (a CJK font, which has Latin letters too) the application font's first
    choice: as a mere fallback its taller glyphs overflowed lines sized for the default font."""
    font = QGuiApplication.font()
    font.setFamilies([*families, font.family()])
    QGuiApplication.setFont(font)


def setup_language(app: QCoreApplication, settings: QSettings, translators: Translators) -> str:
    """Install the saved (or the system's) language into ``app``; the language in effect.

    For Chinese on a system without a CJK font (a Chinese desktop has one through fontconfig),
    a bundled one is registered when there is one (:func:`font_files`); else one log line says
    what to install (Qt then draws boxes)."""
    language = translators.install(app, resolve(saved_choice(settings)))
    if language == CHINESE and not cjk_font_families():
        added = add_bundled_fonts()
        if added:
            _prefer_families(added)
        else:
            log.warning("no font that shows Chinese is installed (fc-list :lang=zh is empty): install one "
                        "(fonts-noto-cjk) or `pip install noto-cjk-sans-otc`, or the Chinese shows as boxes")
    return language


def language_menu(parent: QWidget, settings: QSettings) -> QMenu:
    """View > Language: System, English, 简体中文. A choice is saved and applies at the next start
    (a message says so): the window is built once, in one language."""
    menu = QMenu(translate("Language", "&Language"), parent)
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    current = saved_choice(settings)
    labels = {SYSTEM: translate("Language", "System ({language})").format(
        language=NATIVE_NAMES[system_language()]), **NATIVE_NAMES}
    for choice in LANGUAGES:
        action = menu.addAction(labels[choice])
        action.setCheckable(True)
        action.setChecked(choice == current)
        action.setData(choice)
        action.setToolTip(translate("Language", "Show the window in this language from the next start"))
        group.addAction(action)
    group.triggered.connect(lambda action: _language_chosen(parent, settings, str(action.data())))
    return menu


def _language_chosen(parent: QWidget, settings: QSettings, choice: str) -> None:
    if choice == saved_choice(settings):
        return
    save_choice(settings, choice)
    QMessageBox.information(parent, translate("Language", "Language"),
                            translate("Language", "The new language applies the next time the studio starts."))


def copy_package_font(dest: Path = BUNDLED_FONTS) -> list[Path]:
    """Copy the ``noto-cjk-sans-otc`` package's font and its licence into ``dest`` (for a bundle
    build; never committed). Raises FileNotFoundError when the package is not installed."""
    try:
        import noto_cjk_sans_otc
    except ImportError as exc:
        raise FileNotFoundError("the noto-cjk-sans-otc package is not installed "
                                "(pip install noto-cjk-sans-otc)") from exc
    font = Path(str(noto_cjk_sans_otc.FONT_PATH))
    dest.mkdir(parents=True, exist_ok=True)
    copied = [dest / font.name]
    shutil.copyfile(font, copied[0])
    licences = sorted(font.parent.parent.glob("noto_cjk_sans_otc-*.dist-info/**/LICENSE*"), key=str)
    if licences:
        copied.append(dest / "NotoSansCJK-LICENSE.txt")
        shutil.copyfile(licences[0], copied[-1])
    return copied


def main(argv: list[str] | None = None) -> int:
    """``python -m studio.ui.i18n build [OUT]``: compile the translations (to OUT, default beside
    the sources). ``update``: refresh the .ts sources from the code with lupdate. ``fonts``: copy
    the noto-cjk-sans-otc package's CJK font and licence into studio/ui/fonts for a bundle."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("build", "update", "fonts"):
        print("usage: python -m studio.ui.i18n build [OUT_FOLDER] | update | fonts", file=sys.stderr)
        return 2
    try:
        if args[0] == "build":
            for qm in build(out=Path(args[1]) if len(args) > 1 else None):
                print(f"built {qm}")
        elif args[0] == "fonts":
            for path in copy_package_font():
                print(f"copied {path}")
        else:
            for ts in sorted(TRANSLATIONS_DIR.glob("studio_*.ts")) or [TRANSLATIONS_DIR / f"studio_{CHINESE}.ts"]:
                print(update_sources(ts).strip())
    except (OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
