"""The Taste panel, the gallery's taste order and marks, and the taste model's phrases in the
window's language, on their own (no engine, no window)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt

from studio.core.samples import Domain
from studio.core.works import Gallery, Work
from studio.taste import melody_features, painting_features
from studio.taste import words as w
from studio.taste.words import FeatureWord, Phrase, english, english_explanation
from studio.ui.models.gallery_model import GalleryModel, TasteRole, taste_level, taste_words, with_taste_mark
from studio.ui.panels.gallery_panel import GalleryPanel
from studio.ui.panels.taste_panel import TastePanel, TasteView
from studio.ui.pixmaps import placeholder_pixmap
from studio.ui.taste_words import FEATURE_WORDS, explanation_words, feature_word, say, summary_words, word_list
from tests.taste.phrase_cases import ENGLISH, HIGHER, HOME, WARMER
from tests.ui.test_i18n import chinese, qm_folder  # noqa: F401 - fixtures


def _works(n: int) -> list[Work]:
    rng = np.random.default_rng(0)
    return [Work(Domain.PAINTING, seed=i + 1, image=rng.integers(0, 255, (24, 32, 3), dtype=np.uint8))
            for i in range(n)]


def test_the_panel_says_nothing_is_learnt_until_works_are_marked(qtbot):
    panel = TastePanel()
    qtbot.addWidget(panel)
    panel.show_view(TasteView(samples=4, domain=Domain.MELODY))
    assert "Nothing learnt yet" in panel.summary.text() and "melodies" in panel.summary.text()
    assert not panel.reset.isEnabled() and not panel.choose.isChecked()
    assert "Automatic" in panel.mode.text()
    panel.show_view(TasteView(2, 1, 4, ("You keep higher, busier melodies and reject lower, calmer ones.",),
                              choosing=True, automatic=True, domain=Domain.MELODY))
    assert "You keep higher, busier melodies" in panel.summary.text()
    assert "From 2 kept and 1 rejected melodies" in panel.counts.text() and "4 samples" in panel.counts.text()
    assert panel.reset.isEnabled() and panel.choose.isChecked()


def test_the_switch_and_the_order_announce_only_what_the_person_does(qtbot):
    panel = TastePanel()
    qtbot.addWidget(panel)
    toggled: list[bool] = []
    orders: list[bool] = []
    resets: list[bool] = []
    panel.sig_choose_toggled.connect(toggled.append)
    panel.sig_sort_changed.connect(orders.append)
    panel.sig_reset_requested.connect(lambda: resets.append(True))
    panel.show_view(TasteView(1, 0, 2, choosing=True))  # shown, not toggled by the person
    panel.set_sorted(True)
    assert toggled == [] and orders == [] and panel.is_sorted()
    panel.choose.click()
    panel.order.setCurrentIndex(0)
    panel.reset.click()
    assert toggled == [False] and orders == [False] and resets == [True]
    panel.show_view(TasteView(1, 0, 2, choosing=False, automatic=False))
    assert "Turned off by you" in panel.mode.text()


def test_sorting_by_taste_reorders_the_view_not_the_gallery(qtbot):
    works = _works(4)
    model = GalleryModel(Gallery(works))
    panel = GalleryPanel(model)
    qtbot.addWidget(panel)
    scores = {works[0].id: -1.0, works[1].id: 2.0, works[2].id: 0.5}  # works[3] has none: last
    model.set_taste_scores(scores)
    assert model.index(1).data(TasteRole) == 2.0 and model.index(3).data(TasteRole) is None
    panel.set_sorted_by_taste(True)
    proxy = panel.proxy
    shown = [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id for r in range(4)]
    assert shown == [works[1].id, works[2].id, works[0].id, works[3].id]
    assert [w.id for w in model.gallery] == [w.id for w in works]  # the order they were made in is kept
    panel.view.selectionModel().select(proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert panel.selected_rows() == [1]  # rows handed out are the gallery's
    # a caller selecting by the gallery model's index selects that work's card
    panel.view.selectionModel().select(model.index(2), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert panel.selected_rows() == [2]
    model.set_taste_scores({works[3].id: 5.0, **scores})  # new scores re-sort the view
    assert proxy.index(0, 0).data(Qt.ItemDataRole.UserRole + 1).id == works[3].id
    panel.set_sorted_by_taste(False)
    assert [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id for r in range(4)] == [w.id for w in works]
    model.append_work(_works(5)[4])  # new works land as made when the view is as made
    assert proxy.rowCount() == 5 and proxy.source_row(4) == 4


def test_card_actions_name_the_gallery_row_of_the_card_clicked(qtbot):
    works = _works(3)
    model = GalleryModel(Gallery(works))
    panel = GalleryPanel(model)
    qtbot.addWidget(panel)
    model.set_taste_scores({works[2].id: 1.0, works[0].id: 0.0, works[1].id: -1.0})
    panel.set_sorted_by_taste(True)
    clicked: list[tuple[int, str]] = []
    panel.sig_card_action.connect(lambda row, name: clicked.append((row, name)))
    panel.delegate.sig_card_action.emit(0, "keep")  # the first card shown is works[2]
    assert clicked == [(2, "keep")]


def test_cards_carry_a_taste_mark_and_words_only_with_a_score():
    works = _works(1)
    model = GalleryModel(Gallery(works))
    plain = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert "Taste" not in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    model.set_taste_scores({works[0].id: 0.9})
    marked = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert marked.size() == plain.size() and marked.toImage() != plain.toImage()
    assert "Taste +0.90: likely to your taste" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert [taste_level(s) for s in (-2.0, -1.0, 0.0, 1.0, 2.0)] == [0, 1, 2, 3, 4] and taste_level(None) is None
    assert "unsure" in taste_words(0.05) and "not to your taste" in taste_words(-1.0)
    assert with_taste_mark(placeholder_pixmap(8), -3.0).size() == placeholder_pixmap(8).size()  # tiny cards too
    model.set_gallery(Gallery(works))  # another project: no scores carried over
    assert model.index(0).data(TasteRole) is None


def test_the_window_says_every_phrase_in_english_as_the_engine_writes_it():
    for phrase, text in ENGLISH:
        assert say(phrase) == text == english(phrase)
    assert summary_words([p for p, _ in ENGLISH]) == tuple(t for _, t in ENGLISH)
    explanation = [p for p, _ in ENGLISH if p.kind in w.EXPLANATION_KINDS]
    engine_words = english_explanation(explanation)
    assert explanation_words(explanation) == engine_words[0].upper() + engine_words[1:]
    assert word_list([HIGHER, WARMER, HOME]) == "higher, warmer and ends at home"
    newer = FeatureWord("sparkle", "more", "more sparkling")  # a feature this window does not know yet
    assert feature_word(newer) == "more sparkling"
    assert explanation_words([Phrase(w.THAN_REJECTED, (newer,))]) == "More sparkling than what you reject"


def test_new_taste_marks_reuse_the_thumbnails_already_made(monkeypatch):
    from studio.ui.models import gallery_model

    made: list[str] = []
    real = gallery_model.work_thumbnail
    monkeypatch.setattr(gallery_model, "work_thumbnail", lambda work, size: made.append(work.id) or real(work, size))
    works = _works(3)
    model = GalleryModel(Gallery(works))
    for row in range(3):
        model.index(row).data(Qt.ItemDataRole.DecorationRole)
    for scores in ({w.id: 1.0 for w in works}, {w.id: -2.0 for w in works}, {}):
        model.set_taste_scores(scores)
        for row in range(3):
            model.index(row).data(Qt.ItemDataRole.DecorationRole)
    assert sorted(made) == sorted(w.id for w in works)  # each picture drawn once; only the marks change


def test_every_phrase_kind_and_feature_word_is_said_in_chinese(chinese):  # noqa: F811
    from tests.ui.test_i18n import latin_leftovers

    for phrase, text in ENGLISH:
        said = say(phrase)
        assert latin_leftovers(said) == [] and said != text, (phrase.kind, said)
    for spec in (melody_features.SPEC, painting_features.SPEC):
        for i, name in enumerate(spec.names):
            for direction, word in (("more", spec.more[i]), ("less", spec.less[i])):
                feature = FeatureWord(name, direction, word)
                assert FEATURE_WORDS[(name, direction)] == word  # the window's table is the engine's words
                for kind in (w.THAN_REJECTED, w.LIKE_KEPT, w.THAN_KEPT, w.LIKE_REJECTED):
                    said = explanation_words([Phrase(kind, (feature, HIGHER)), Phrase(w.CLOSEST_SAMPLE)])
                    assert latin_leftovers(said) == [], (name, direction, kind, said)
                said = say(Phrase(w.KEEP_REJECT, (feature,), (HIGHER,), spec.domain, listed=True))
                assert latin_leftovers(said) == [], (name, direction, said)
    assert len(FEATURE_WORDS) == 2 * (melody_features.SPEC.size + painting_features.SPEC.size)


def test_a_curated_works_taste_record_is_a_fact_in_the_windows_language(chinese):  # noqa: F811
    from studio.ui.facts import work_rows
    from tests.ui.test_i18n import latin_leftovers

    entry = {"score": 0.5, "p_like": 0.6, "settings": {"density": 0.4}, "drafts": 36, "round": 2,
             "explanation": "warmer than what you reject; closest to a work you kept", "chooser": "rl2"}
    work = Work(Domain.MELODY, seed=3, provenance={"taste": entry})
    rows = dict(work_rows(work))
    said = [v for k, v in rows.items() if "+0.50" in v]
    assert len(said) == 1 and "36" in said[0] and latin_leftovers(said[0]) == []
    odd = dict(work_rows(Work(Domain.MELODY, seed=3, provenance={"taste": {"score": "high"}})))
    assert any("high" in v for v in odd.values())  # not a record it knows: shown as it is


def test_a_curated_works_taste_record_reads_in_english():
    from studio.ui.facts import work_rows

    rows = dict(work_rows(Work(Domain.PAINTING, seed=3, provenance={"taste": {"score": -1.234, "drafts": 36}})))
    assert rows["Taste when chosen"] == "-1.23, chosen from 36 drafts"
