"""Makes TebikiCardSansJP-Bold.otf: the bold Japanese face of Noto Sans CJK (SIL OFL 1.1),
subset to what share cards draw, so that a card has its title on a machine without Japanese
fonts. Kept: ASCII and Latin-1, general punctuation, arrows, every character of JIS X 0208
(kana, symbols, level 1 and level 2 kanji), the CJK symbols, and the full- and half-width
forms. Renamed (Noto is a trademark of Google); the licence is OFL.txt beside it.

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    apt-get install fonts-noto-cjk     # /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
    /tmp/ft/bin/python themes/default/fonts/make-subset.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FAMILY = "Tebiki Card Sans JP"
OUT = Path(__file__).with_name("TebikiCardSansJP-Bold.otf")


def jis_x_0208():
    """Every character of JIS X 0208, through EUC-JP (rows 1 to 94, cells 1 to 94)."""
    chars = set()
    for row in range(1, 95):
        for cell in range(1, 95):
            try:
                chars.add(bytes([0xA0 + row, 0xA0 + cell]).decode("euc_jp"))
            except UnicodeDecodeError:
                pass
    return chars


def wanted():
    ranges = [
        (0x20, 0x7E),
        (0xA0, 0xFF),
        (0x2010, 0x2044),
        (0x2190, 0x2199),
        (0x3000, 0x30FF),
        (0xFF01, 0xFF9F),
    ]
    codes = {c for lo, hi in ranges for c in range(lo, hi + 1)}
    codes |= {ord(c) for c in jis_x_0208()}
    return sorted(codes)


def main():
    font = TTCollection(SOURCE).fonts[0]
    options = subset.Options()
    options.hinting = False
    # Horizontal text only, in Japanese: no vertical forms, no alternates, no `locl` (its
    # Chinese and Korean forms would double the glyphs).
    options.layout_features = ["ccmp", "kern", "liga", "palt"]
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    options.desubroutinize = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 11, 13, 14, 16, 17]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 4:
            names.setName(FAMILY + " Bold", 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (3, 6):
            names.setName("TebikiCardSansJP-Bold", record.nameID, record.platformID, record.platEncID, record.langID)
    cff = font["CFF "].cff
    cff.fontNames = ["TebikiCardSansJP-Bold"]
    top = cff.topDictIndex[0]
    top.FullName = FAMILY + " Bold"
    top.FamilyName = FAMILY
    font.save(OUT)
    print(f"{OUT.name}: {OUT.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main()
