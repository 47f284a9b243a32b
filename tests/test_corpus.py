"""Published classification examples: Accord must give the source's answer (design section 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.rules.corpus import corpus_files, load_corpus, score_corpus, summary

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def scores():
    return score_corpus(CORPUS)


def test_corpus_is_large_sourced_and_located():
    files = load_corpus(corpus_files(CORPUS))
    cases = [c for cf, _ in files for c in cf.cases]
    assert len(cases) >= 150
    assert len({c.id for c in cases}) == len(cases), "case ids must be unique"
    for cf, _ in files:
        assert cf.source.url.startswith("https://")
        for case in cf.cases:
            assert case.locator.strip() and case.description.strip() and case.expect
            assert case.outcome_in_source.strip()
            if case.depends_on:
                assert set(case.expect.values()) == {"possible"}


def test_accord_gives_the_published_answer(scores):
    counts = summary(scores)["all"]
    wrong = [f"{s.case.id}: {'; '.join(s.problems)}" for s in scores if s.verdict == "wrong"]
    assert not wrong, "\n".join(wrong)
    assert counts["right"] / sum(counts.values()) >= 0.95, counts


def test_no_presumption_hides_a_duty_on_any_corpus_profile(scores):
    hidden = {s.case.id: s.hidden for s in scores if s.hidden}
    assert not hidden


def test_it_depends_cases_stay_open_on_the_fact_the_source_names(scores):
    depends = [s for s in scores if s.case.depends_on]
    assert depends
    for s in depends:
        assert s.verdict == "right", (s.case.id, s.problems)
