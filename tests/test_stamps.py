"""Stamp lines: the date a page prints for its article, in every form real pages use.

Each form is tried in the languages where it occurs, with look-alikes beside it
that must not be read as a stamp (a sentence ending in a date, a fraction, a
birth date, a document code).
"""
import datetime as dt

import pytest
from hypothesis import assume, given, settings, strategies as st

from pipeline.patterns import PatternError, with_language_words
from pipeline.stamps import StampReader

READER = StampReader(with_language_words("clean.json"))


def read(line):
    stamp = READER.read(line)
    return None if stamp is None else stamp.value


@pytest.mark.parametrize("line, value", [
    # a time after the date, with or without a zone
    ("25/10/2025 12:38", "2025-10-25"),
    ("07/11/2025 - 09:45 (GMT+7)", "2025-11-07"),
    ("14.03.2024, 17:05", "2024-03-14"),
    # a time before the date
    ("08:27 13/07/2016", "2016-07-13"),
    ("17h40 | 02/04/2023", "2023-04-02"),
    # a weekday first, in each language
    ("Thứ Tư, 05/03/2025, 06:30 (GMT+7)", "2025-03-05"),
    ("Chủ nhật, 22/06/2025", "2025-06-22"),
    ("Mittwoch, 05.03.2025", "2025-03-05"),
    ("mercredi 5 mars 2025", "2025-03-05"),
    ("Wednesday, March 5, 2025 10:02 AM", "2025-03-05"),
    # month names of another language than the page's: read whatever the page is in
    ("September 9, 2025 08:10", "2025-09-09"),
    ("9 septembre 2025", "2025-09-09"),
    ("9. September 2025 um 08:10 Uhr", "2025-09-09"),
    ("Sept. 9th, 2025", "2025-09-09"),
    ("ngày 9 tháng 9 năm 2025", "2025-09-09"),
    ("9 tháng Chín năm 2025", "2025-09-09"),
    # labels
    ("Cập nhật: 11/08/2025 lúc 14:20", "2025-08-11"),
    ("Publié le 11 août 2025 à 14h20", "2025-08-11"),
    ("Veröffentlicht am 11.08.2025", "2025-08-11"),
    ("Updated: August 11, 2025", "2025-08-11"),
    ("Update: 14-03-2019 | 08:12:45", "2019-03-14"),
    ("Last update: 14/03/2019", "2019-03-14"),
    ("Mise à jour le 3 avril 2024 à 09h15", "2024-04-03"),
    ("Dernière mise à jour : 03/04/2024", "2024-04-03"),
    ("Zuletzt aktualisiert am 03.04.2024, 09:15", "2024-04-03"),
    ("Ngày cập nhật: 03/04/2024", "2024-04-03"),
])
def test_stamp_forms(line, value):
    assert read(line) == value


@pytest.mark.parametrize("line", [
    "Hội nghị diễn ra sáng 12/9",                         # no year
    "3/6 cibles atteintes en 2025",                       # a fraction, then a year
    "Quyết định số 1234/QĐ-UBND ngày 12/9/2025 của UBND",  # more text after the date
    "Die Sitzung vom 12. September 2025 war lang",
    "Date of birth: April 13, 1955",                      # before any site stamped its articles
    "Nguyễn Văn A 12/05/1960",                            # a birth date in a list of candidates
    "31/02/2025 10:00",                                   # no such day
    "2020 - 2025",                                        # a term, not a day
])
def test_lines_that_are_not_stamps(line):
    assert READER.read(line) is None


@pytest.mark.parametrize("line", [
    "Update: 14-03-2019 | 08:12:45", "Mise à jour : 03/04/2024", "Zuletzt aktualisiert am 03.04.2024",
    "Cập nhật lần cuối: 03/04/2024",
])
def test_a_label_is_read_as_a_label(line):
    stamp = READER.read(line)
    assert stamp.labelled and stamp.prefix_end == 0


@pytest.mark.parametrize("line", [
    "Update on the budget plan 14/03/2019",      # a label word opening a sentence: its words stay in the prefix
    "Die Liste wurde aktualisiert am 03.04.2024",
])
def test_a_label_word_inside_a_sentence_is_no_label(line):
    stamp = READER.read(line)
    assert stamp is None or stamp.prefix_end > 0


def test_a_sentence_ending_in_a_date_leaves_its_words_in_the_prefix():
    # The reader only finds the date at the line's end; clean then refuses the
    # running text in front of it (tests/test_bylines.py).
    line = "Le comité se réunira le 12/09/2025"
    assert line[:READER.read(line).prefix_end] == "Le comité se réunira "


def test_a_weekday_decides_the_order_of_an_all_numbers_date():
    # 11/10/2018: Thursday 11 October (day first); 09/20/2024 cannot be day first.
    assert read("THURSDAY, 11/10/2018 15:08:48") == "2018-10-11"
    assert read("Friday,  09/20/2024") == "2024-09-20"
    # 04/10/2024 is Friday 4 October but Wednesday 10 April: the weekday picks.
    assert read("Friday, 04/10/2024") == "2024-10-04"
    assert read("Wednesday, 04/10/2024") == "2024-04-10"
    # Without a weekday, day first.
    assert read("04/10/2024") == "2024-10-04"


def test_the_prefix_is_what_stands_before_the_stamp():
    line = "Vương Trần (báo lao động) 29/06/2025 14:00 (GMT+7)"
    stamp = READER.read(line)
    assert stamp.value == "2025-06-29" and stamp.timed
    assert line[:stamp.prefix_end] == "Vương Trần (báo lao động) "
    assert line[stamp.start:stamp.end] == "29/06/2025"
    line = "Báo Lâm ĐồngBáo Lâm Đồng30/06/2025"
    stamp = READER.read(line)
    assert line[:stamp.prefix_end] == "Báo Lâm ĐồngBáo Lâm Đồng" and not stamp.timed
    line = "Quảng Bình, ngày 25 tháng 5 năm 2015"
    stamp = READER.read(line)
    assert stamp.value == "2015-05-25" and line[:stamp.prefix_end] == "Quảng Bình, "
    line = "Hanoï, le 1er juillet 2025"
    assert READER.read(line).value == "2025-07-01"


def test_a_form_without_a_month_is_refused_on_load(patterns_copy):
    import json

    # A misspelt key in a form is refused when the file is read.
    path = patterns_copy / "clean.json"
    original = path.read_text(encoding="utf-8")
    data = json.loads(original)
    data["stamps"]["date_forms"][0]["typo"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PatternError, match=r"clean.json stamps date_forms\[0\]: unknown key.*typo"):
        with_language_words("clean.json")
    path.write_text(original, encoding="utf-8")
    clean = dict(with_language_words("clean.json"))
    clean["stamps"] = dict(clean["stamps"], date_forms=[{"id": "broken", "template": "{DAY}\\s+{YEAR}"}])
    with pytest.raises(PatternError, match="broken"):
        StampReader(clean)


_WEEKDAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
             "vi": ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]}
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2060, 12, 31)),
       lang=st.sampled_from(["en", "vi"]), sep=st.sampled_from(["/", ".", "-"]),
       time=st.sampled_from(["", " 08:05", " - 23:59 (GMT+7)", ", 7:30 PM"]),
       month_first=st.booleans(), words=st.booleans())
def test_any_printed_day_reads_back(day, lang, sep, time, month_first, words):
    weekday = _WEEKDAYS[lang][day.weekday()]
    if words:
        date = f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}" if lang == "en" else \
            f"ngày {day.day} tháng {day.month} năm {day.year}"
    else:
        first, second = (day.month, day.day) if month_first else (day.day, day.month)
        date = f"{first:02d}{sep}{second:02d}{sep}{day.year}"
        # Leave out the days whose swapped reading is another real day on the same weekday:
        # there nothing on the line tells the two apart.
        try:
            swapped = dt.date(day.year, day.day, day.month)
        except ValueError:
            swapped = None
        assume(swapped is None or swapped == day or swapped.weekday() != day.weekday())
    # With its weekday, an all-numbers date is read right in either order.
    assert read(f"{weekday}, {date}{time}") == day.isoformat()
