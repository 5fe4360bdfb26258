"""split_sentences: exact offsets, one paragraph per line, long lines."""

from __future__ import annotations

from forethought.language import split_sentences


def spans_text(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_offsets_are_exact_and_trimmed():
    text = "  Prices rose 3% in May.  Analysts said they may fall.\n"
    spans = split_sentences(text)
    assert spans_text(text) == ["Prices rose 3% in May.", "Analysts said they may fall."]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


def test_each_line_is_its_own_paragraph_so_headlines_stand_alone():
    text = "Ukraine Talks Stall Again\nThe envoy left on Monday. Talks may resume soon."
    assert spans_text(text) == [
        "Ukraine Talks Stall Again", "The envoy left on Monday.", "Talks may resume soon."
    ]


def test_abbreviations_do_not_split():
    text = "Mr. Smith said the U.S. will act by Nov. 27. Markets rose."
    assert spans_text(text) == ["Mr. Smith said the U.S. will act by Nov. 27.", "Markets rose."]


def test_crlf_and_blank_lines():
    text = "First line.\r\n\r\nSecond line.\r\n"
    assert spans_text(text) == ["First line.", "Second line."]


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n") == []


def test_a_very_long_line_is_cut_into_blocks_without_losing_offsets():
    sentence = "The committee met again on Tuesday and said rates will likely stay on hold. "
    text = sentence * 400  # ~30 KB on one line
    spans = split_sentences(text)
    assert len(spans) == 400
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_a_closing_quotation_mark_stays_with_its_sentence():
    text = "If impacts develop, we could even see an above-normal season.”"
    assert spans_text(text) == [text]


def test_a_sentence_ends_before_a_quotation_that_pysbd_runs_on():
    text = ('One warm year does not mean the threshold of the Paris Agreement is breached. '
            '"But it does reveal that we are edging closer." It said: “Prices will rise.” '
            "Officials agreed. The Fed's Gov. Waller said rates will fall.")
    assert spans_text(text) == [
        "One warm year does not mean the threshold of the Paris Agreement is breached.",
        '"But it does reveal that we are edging closer."', "It said: “Prices will rise.”",
        "Officials agreed.", "The Fed's Gov. Waller said rates will fall.",
    ]
