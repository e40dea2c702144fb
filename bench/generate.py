"""Deterministic benchmark corpus: N news-style articles of ~10 KB in fr, de, en, vi.

    python bench/generate.py 10000            # -> bench/data/10000/0000/0000000_<hex>.txt ...
    python bench/generate.py 500 --out /tmp/c --seed 7

Article i depends only on (seed, i), so a corpus of 1,000 is the first 1,000
articles of a corpus of 100,000, and `article(i)` can make one in memory.
French and German paragraphs are the seed corpus's own paragraphs with every
name, code, date, period and province swapped for random ones; English and
Vietnamese paragraphs come from the templates below (written for this
benchmark, in the style of the Party/State press). Names are drawn from
Vietnamese syllables, codes from random numbers, types and issuers, so no two
articles share their facts and no cache or duplicate check can flatter the
figures.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"

SURNAMES = [("Nguyen", "Nguyễn"), ("Tran", "Trần"), ("Le", "Lê"), ("Pham", "Phạm"), ("Hoang", "Hoàng"),
            ("Huynh", "Huỳnh"), ("Phan", "Phan"), ("Vu", "Vũ"), ("Vo", "Võ"), ("Dang", "Đặng"), ("Bui", "Bùi"),
            ("Do", "Đỗ"), ("Ho", "Hồ"), ("Ngo", "Ngô"), ("Duong", "Dương"), ("Ly", "Lý"), ("Trinh", "Trịnh"),
            ("Dinh", "Đinh"), ("Lam", "Lâm"), ("Mai", "Mai")]
MIDDLES = [("Van", "Văn"), ("Thi", "Thị"), ("Duc", "Đức"), ("Minh", "Minh"), ("Quoc", "Quốc"), ("Thanh", "Thanh"),
           ("Hoang", "Hoàng"), ("Ngoc", "Ngọc"), ("Xuan", "Xuân"), ("Hong", "Hồng"), ("Huu", "Hữu"), ("Dinh", "Đình"),
           ("Kim", "Kim"), ("Manh", "Mạnh"), ("Hoai", "Hoài"), ("Viet", "Việt"), ("Thu", "Thu"), ("Anh", "Anh")]
GIVENS = [("An", "An"), ("Binh", "Bình"), ("Cuong", "Cường"), ("Dung", "Dũng"), ("Hai", "Hải"), ("Hung", "Hùng"),
          ("Lam", "Lâm"), ("Long", "Long"), ("Mai", "Mai"), ("Nam", "Nam"), ("Phuong", "Phương"), ("Quang", "Quang"),
          ("Son", "Sơn"), ("Tam", "Tâm"), ("Thao", "Thảo"), ("Trung", "Trung"), ("Tuan", "Tuấn"), ("Yen", "Yến"),
          ("Hieu", "Hiếu"), ("Khanh", "Khánh"), ("Linh", "Linh"), ("Loc", "Lộc"), ("Nghia", "Nghĩa"), ("Oanh", "Oanh"),
          ("Phong", "Phong"), ("Tien", "Tiến"), ("Vinh", "Vinh"), ("Huong", "Hương"), ("Gau", "Gấu"), ("Ha", "Hà")]
PARTY_CODES = [("NQ", "TW"), ("KL", "TW"), ("CT", "TW"), ("QD", "TW"), ("KH", "TW"), ("HD", "TW"), ("NQ", "TU"),
               ("KH", "TU"), ("CT", "TU"), ("HD", "TU"), ("TB", "TU"), ("KH", "BCDTW"), ("CV", "BTCTW"), ("NQ", "HU")]
STATE_CODES = [("QD", "TTg"), ("ND", "CP"), ("QD", "UBND"), ("QD", "BXD"), ("TT", "BTC"), ("NQ", "QH15"), ("NQ", "CP")]

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
DOC_WORDS = {
    "fr": ["la résolution n°", "la directive n°", "la conclusion n°", "le plan n°", "la décision n°"],
    "de": ["der Resolution Nr.", "der Richtlinie Nr.", "der Schlussfolgerung Nr.", "des Plans Nr.", "des Beschlusses Nr."],
    "en": ["Resolution No.", "Directive No.", "Conclusion No.", "Plan No.", "Decision No."],
    "vi": ["Nghị quyết số", "Chỉ thị số", "Kết luận số", "Kế hoạch số", "Quyết định số"],
}
POSTS = {
    "fr": ["secrétaire du Comité provincial du Parti", "président du Comité populaire provincial",
           "secrétaire adjoint permanent du Comité provincial du Parti", "vice-président du Comité populaire provincial",
           "membre du Comité central du Parti", "chef du Comité de propagande et de mobilisation de masse"],
    "de": ["Sekretär des Provinzparteikomitees", "Vorsitzender des Volkskomitees der Provinz",
           "ständiger stellvertretender Sekretär des Provinzparteikomitees", "stellvertretender Vorsitzender des Volkskomitees der Provinz",
           "Mitglied des Zentralkomitees der Partei"],
    "en": ["Secretary of the provincial Party Committee", "Chairman of the provincial People's Committee",
           "Permanent Deputy Secretary of the provincial Party Committee", "Vice Chairman of the provincial People's Committee",
           "member of the Party Central Committee", "Head of the provincial Party Committee's Organisation Commission"],
    "vi": ["Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh", "Phó Bí thư Thường trực Tỉnh ủy", "Phó Chủ tịch UBND tỉnh",
           "Ủy viên Trung ương Đảng", "Trưởng Ban Tổ chức Tỉnh ủy"],
}

# Paragraph templates for the languages the seed corpus lacks (and a few more
# for fr/de, so every article has facts to find). {NAME}, {POST}, {PROV},
# {CODE} (with its type word), {DATE}, {PERIOD} are filled at random.
TEMPLATES = {
    "en": [
        "On {DATE}, the Standing Board of the {PROV} provincial Party Committee held a conference to review the "
        "implementation of {CODE} of the Politburo. {NAME}, {POST}, chaired the meeting and asked all Party "
        "committees to speed up the streamlining of the apparatus in the {PERIOD} term.",
        "Speaking at the event, {NAME}, {POST}, stressed that {PROV} must complete the merger of communes before "
        "{DATE} and report the results to the Central Steering Committee in line with {CODE}.",
        "According to the report, in the first six months of the year {PROV} collected more than 4,200 billion VND "
        "in budget revenue, reaching 58 percent of the annual estimate. Public investment disbursement remained "
        "slow, and the province asked departments to remove land clearance obstacles for key projects.",
        "Also attending were {NAME}, {POST}, and leaders of departments, agencies and localities. Delegates "
        "discussed the draft political report to be submitted to the provincial Party Congress for the {PERIOD} tenure.",
        "Implementing {CODE} dated {DATE} on breakthroughs in science, technology, innovation and national digital "
        "transformation, {PROV} has issued an action plan with 36 specific tasks assigned to each unit.",
        "The conference agreed that the two-tier local government model in {PROV} has operated smoothly since "
        "{DATE}; citizens can now complete most administrative procedures online at commune level.",
        "Concluding the session, {NAME}, {POST}, requested the People's Committee to finalise the socio-economic "
        "development plan for {PERIOD} and to submit it to the People's Council before {DATE}.",
    ],
    "vi": [
        "Ngày {DATE}, Ban Thường vụ Tỉnh ủy {PROV} tổ chức hội nghị sơ kết việc thực hiện {CODE} của Bộ Chính trị. "
        "Đồng chí {NAME}, {POST}, chủ trì hội nghị và yêu cầu các cấp ủy đẩy nhanh việc sắp xếp tổ chức bộ máy "
        "nhiệm kỳ {PERIOD}.",
        "Phát biểu tại hội nghị, đồng chí {NAME}, {POST}, nhấn mạnh tỉnh {PROV} phải hoàn thành việc sắp xếp đơn vị "
        "hành chính cấp xã trước ngày {DATE} theo tinh thần {CODE}.",
        "Theo báo cáo, 6 tháng đầu năm, tổng thu ngân sách trên địa bàn tỉnh {PROV} đạt hơn 4.200 tỷ đồng, bằng 58% "
        "dự toán năm. Giải ngân vốn đầu tư công còn chậm, tỉnh yêu cầu các sở, ngành tháo gỡ vướng mắc về giải "
        "phóng mặt bằng cho các dự án trọng điểm.",
        "Dự hội nghị có đồng chí {NAME}, {POST}; lãnh đạo các sở, ban, ngành, địa phương. Các đại biểu thảo luận dự "
        "thảo báo cáo chính trị trình Đại hội Đảng bộ tỉnh nhiệm kỳ {PERIOD}.",
        "Thực hiện {CODE} ngày {DATE} về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
        "quốc gia, tỉnh {PROV} đã ban hành kế hoạch hành động với 36 nhiệm vụ cụ thể giao cho từng đơn vị.",
        "Kết luận hội nghị, đồng chí {NAME}, {POST}, đề nghị UBND tỉnh hoàn thiện kế hoạch phát triển kinh tế - xã "
        "hội giai đoạn {PERIOD}, trình HĐND tỉnh trước ngày {DATE}.",
    ],
    "fr": [
        "Le {DATE}, le Comité permanent du Comité provincial du Parti de {PROV} a tenu une conférence pour examiner "
        "la mise en œuvre de {CODE} du Politburo. Le camarade {NAME}, {POST}, a présidé la réunion.",
        "Prenant la parole, le camarade {NAME}, {POST}, a demandé à la province de {PROV} d'achever la fusion des "
        "communes avant le {DATE} conformément à {CODE}, pour le mandat {PERIOD}.",
    ],
    "de": [
        "Am {DATE} hielt der Ständige Ausschuss des Parteikomitees der Provinz {PROV} eine Konferenz zur Umsetzung "
        "{CODE} des Politbüros ab. Genosse {NAME}, {POST}, leitete die Sitzung.",
        "Genosse {NAME}, {POST}, forderte die Provinz {PROV} auf, die Zusammenlegung der Gemeinden bis zum {DATE} "
        "gemäß {CODE} abzuschließen, für die Amtszeit {PERIOD}.",
    ],
}
TITLES = {
    "fr": "Le Comité provincial du Parti de {PROV} met en œuvre {CODE}",
    "de": "Provinz {PROV} setzt {CODE} um",
    "en": "{PROV} reviews the implementation of {CODE}",
    "vi": "Tỉnh {PROV} triển khai thực hiện {CODE}",
}
HEADERS = ["Vietnam.vn - Nền tảng quảng bá Việt Nam", "Báo Nhân dân", "Báo điện tử Đảng Cộng sản Việt Nam"]

_CODE_RE = re.compile(r"\b\d{1,5}(?:/\d{4})?[-/][A-ZĐ]{1,6}(?:-[A-ZĐ0-9]{1,6})?(?:/[A-ZĐa-z0-9]{1,8})?")
_PERIOD_RE = re.compile(r"\b(20\d\d)\s?[-–]\s?(20\d\d)\b")
_NUMERIC_DATE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/20\d\d\b")


class Vocabulary:
    """Everything the generator draws from, loaded once."""

    def __init__(self):
        self.provinces = [json.loads(line) for line in (ROOT / "patterns" / "provinces.jsonl").open(encoding="utf-8")]
        variants = sorted({v for p in self.provinces for v in p.get("variants", []) if len(v) > 3}, key=len, reverse=True)
        self.province_re = re.compile(r"\b(?:" + "|".join(map(re.escape, variants)) + r")\b")
        given = "|".join(sorted({g for g, _ in GIVENS + MIDDLES}))
        surnames = "|".join(s for s, _ in SURNAMES)
        self.name_re = re.compile(rf"\b(?:{surnames})(?: (?:{given})){{1,3}}\b")
        months = "|".join(MONTHS["fr"] + MONTHS["de"])
        self.word_date_re = re.compile(rf"\b\d{{1,2}}\.? (?:{months})(?: 20\d\d)?\b")
        self.paragraphs = {"fr": [], "de": []}
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            lang = "de" if " der " in text and " die " in text else "fr"
            for para in text.split("\n"):
                para = para.strip()
                if len(para) > 200 and not para.startswith(("Source", "http")):
                    self.paragraphs[lang].append(para)


class ArticleMaker:
    def __init__(self, vocab: Vocabulary, rng: random.Random, lang: str):
        self.v, self.rng, self.lang = vocab, rng, lang
        self.year = rng.choice([2023, 2024, 2025])

    def name(self) -> str:
        parts = [self.rng.choice(SURNAMES)] + self.rng.sample(MIDDLES, self.rng.choice([1, 1, 2])) + [self.rng.choice(GIVENS)]
        return " ".join(p[1] if self.lang == "vi" else p[0] for p in parts)

    def province(self) -> str:
        p = self.rng.choice(self.v.provinces)
        return p["name_vi"] if self.lang == "vi" else p["name"]

    def code(self) -> str:
        number = self.rng.randint(1, 999)
        if self.rng.random() < 0.7:
            kind, issuer = self.rng.choice(PARTY_CODES)
            return f"{number}-{kind}/{issuer}"
        kind, issuer = self.rng.choice(STATE_CODES)
        if self.rng.random() < 0.5:
            return f"{number}/{self.year}/{kind}-{issuer}".replace("D-", "Đ-") if self.lang == "vi" else f"{number}/{self.year}/{kind}-{issuer}"
        return f"{number}/{kind}-{issuer}"

    def date(self, with_year: bool = True) -> str:
        year = self.rng.choice([self.year - 1, self.year, self.year])
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        if self.lang == "fr":
            return f"{day} {MONTHS['fr'][month - 1]}" + (f" {year}" if with_year else "")
        if self.lang == "de":
            return f"{day}. {MONTHS['de'][month - 1]}" + (f" {year}" if with_year else "")
        if self.lang == "en":
            return f"{MONTHS['en'][month - 1]} {day}, {year}"
        return f"{day}/{month}/{year}" if self.rng.random() < 0.6 else f"{day} tháng {month} năm {year}"

    def period(self) -> str:
        start = self.rng.choice([2020, 2021, 2024, 2025, 2026])
        return f"{start}-{start + self.rng.choice([1, 5, 5, 10])}"

    def fill(self, template: str) -> str:
        fields = {"NAME": self.name, "POST": lambda: self.rng.choice(POSTS[self.lang]), "PROV": self.province,
                  "CODE": lambda: f"{self.rng.choice(DOC_WORDS[self.lang])} {self.code()}",
                  "DATE": self.date, "PERIOD": self.period}
        return re.sub(r"\{(\w+)\}", lambda m: fields[m.group(1)](), template)

    def rewrite(self, paragraph: str) -> str:
        """A seed paragraph with its facts swapped for random ones."""
        v = self.v
        paragraph = _CODE_RE.sub(lambda m: self.code(), paragraph)
        paragraph = _PERIOD_RE.sub(lambda m: self.period(), paragraph)
        paragraph = _NUMERIC_DATE_RE.sub(lambda m: "{}/{:02d}/{}".format(self.rng.randint(1, 28), self.rng.randint(1, 12), self.year), paragraph)
        paragraph = v.word_date_re.sub(lambda m: self.date(with_year=bool(re.search(r"20\d\d", m.group(0)))), paragraph)
        paragraph = v.province_re.sub(lambda m: self.province(), paragraph)
        return v.name_re.sub(lambda m: self.name(), paragraph)

    def paragraph(self) -> str:
        seeds = self.v.paragraphs.get(self.lang)
        if seeds and self.rng.random() < 0.75:
            return self.rewrite(self.rng.choice(seeds))
        return self.fill(self.rng.choice(TEMPLATES[self.lang]))


_VOCAB: Vocabulary | None = None


def article(i: int, seed: int = 20250601, size: int = 10_000) -> tuple[str, str]:
    """Article number i: (file stem, text). Depends only on (seed, i)."""
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = Vocabulary()
    rng = random.Random(f"{seed}:{i}")
    lang = rng.choices(["fr", "de", "en", "vi"], weights=[40, 25, 20, 15])[0]
    maker = ArticleMaker(_VOCAB, rng, lang)
    target = int(size * rng.uniform(0.6, 1.4))
    parts = [rng.choice(HEADERS), "", maker.fill(TITLES[lang]), ""]
    length = sum(len(p) + 1 for p in parts)
    while length < target:
        para = maker.paragraph()
        parts.append(para)
        length += len(para) + 1
    if rng.random() < 0.5:
        parts.append(f"Source : https://baotinh{rng.randint(1, 63)}.vn/tin-tuc/post{rng.randint(10**5, 10**6)}.html")
    stem = f"{i:07d}_{rng.getrandbits(64):016x}"
    return stem, "\n".join(parts) + "\n"


def generate(n: int, out: Path, seed: int = 20250601, per_dir: int = 1000) -> Path:
    """Write articles 0..n-1 under out/<i // per_dir>/; existing files are kept (idempotent)."""
    for i in range(n):
        stem, text = article(i, seed)
        directory = out / f"{i // per_dir:04d}"
        path = directory / f"{stem}.txt"
        if not path.exists():
            directory.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("--out", type=Path, help="directory (default: bench/data/<n>)")
    ap.add_argument("--seed", type=int, default=20250601)
    args = ap.parse_args(argv)
    out = generate(args.n, args.out or DATA / str(args.n), args.seed)
    print(f"{args.n} articles in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
