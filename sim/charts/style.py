"""Chart style for slides and reports: one module owns how every chart looks.

Figures are 16:9 at slide size (readable when pasted full-width into a slide), saved as PNG and SVG
(`save`). Chinese text uses a CJK font: Noto Sans CJK SC from the system (Debian `fonts-noto-cjk`,
installed by `scripts/bootstrap.sh`), else the copy shipped by the `mplfonts` package; `cjk_font`
says which, `require_cjk_font` fails with one line when there is none. The drawing helpers put the
same marks on every chart: uncertainty bands (p10-p90 and p25-p75), the 2020 base, target lines
labelled with their source clause, and met / not-met markers. The labels' words are `sim.locale`'s
(`chart.*`, `unit.*`).
"""

from __future__ import annotations

import functools
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager, ticker  # noqa: E402

from .. import locale  # noqa: E402
from ..errors import InputError  # noqa: E402

SLIDE = (10.0, 5.625)            # inches, 16:9; text sizes below are chosen for this size
PNG_DPI = 200                    # 2000 x 1125 px: sharp on a projector
COLOURS = ["#1f5fa8", "#d9822b", "#2a9d8f", "#6a4c93", "#9b2226", "#588157"]
MET, NOT_MET, TARGET, BASE, MUTED = "#2b9348", "#c1121f", "#333333", "#000000", "#555555"
BAND_ALPHA = {"outer": 0.16, "inner": 0.30}
SOURCE_CHARS = 60                # a target's source clause is cut to this length on a chart
COMPARATOR_TEXT = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "=", "about": "≈"}
CJK_NAMES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN")
SYSTEM_CJK_FILES = ("NotoSansCJK", "NotoSansSC", "SourceHanSans")
MPLFONTS_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSansSC-Regular.otf")
NO_CJK_FONT = ("no Chinese (CJK) font found: install Debian's fonts-noto-cjk (sudo apt-get install fonts-noto-cjk; "
               "`make setup` does it when run as root) or the mplfonts package (pip install mplfonts)")



# -- fonts -----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def cjk_font() -> tuple[str, str] | None:
    """(family name, file) of the CJK font charts use: the system's Noto Sans CJK SC first, then mplfonts'."""
    found = _registered_cjk() or (_register(_system_cjk_files()) and _registered_cjk())
    if found:
        return found
    for path in _mplfonts_files():
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name(), str(path)
    return None


def _registered_cjk() -> tuple[str, str] | None:
    for name in CJK_NAMES:
        for f in font_manager.fontManager.ttflist:
            if f.name == name:
                return f.name, f.fname
    return None


def _system_cjk_files() -> list[str]:
    """System CJK font files; matplotlib's font cache may predate their installation."""
    return [f for f in font_manager.findSystemFonts(fontext="ttf") + font_manager.findSystemFonts(fontext="otf")
            if Path(f).name.startswith(SYSTEM_CJK_FILES)]


def _register(files: list[str]) -> bool:
    for f in files:
        font_manager.fontManager.addfont(f)    # a .ttc adds every face (SC, TC, JP, ...) on matplotlib >= 3.10
    return bool(files)


def _mplfonts_files() -> list[Path]:
    try:
        import mplfonts
    except ImportError:
        return []
    folder = Path(mplfonts.__file__).parent / "fonts"
    return [folder / n for n in MPLFONTS_FILES if (folder / n).is_file()]


def require_cjk_font() -> tuple[str, str]:
    """The CJK font, or an InputError with one line saying how to install one (the CLI exits 2)."""
    font = cjk_font()
    if font is None:
        raise InputError("fonts", "", NO_CJK_FONT)
    return font


def rc(lang: str = "en") -> dict:
    """Matplotlib settings for slide-size charts; Chinese glyphs need the CJK font for any language."""
    font = cjk_font()
    if lang == "zh" and font is None:
        require_cjk_font()
    out = {"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.25,
           "figure.dpi": 100, "savefig.dpi": PNG_DPI, "font.size": 12, "axes.titlesize": 15,
           "axes.labelsize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11, "legend.fontsize": 10,
           "axes.unicode_minus": False, "svg.fonttype": "path", "figure.figsize": SLIDE}
    if font:
        out["font.family"] = [font[0], "DejaVu Sans"]
    return out


@contextmanager
def figure(lang: str = "en", size: tuple[float, float] = SLIDE):
    """A new figure and axes drawn with the slide style; use as `with style.figure() as (fig, ax):`."""
    with plt.rc_context(rc(lang)):
        fig, ax = plt.subplots(figsize=size)
        yield fig, ax


# -- text ------------------------------------------------------------------------------------------
def t(key: str, lang: str) -> str:
    """A chart label in `lang` (`sim.locale`'s `chart.KEY`)."""
    return locale.text(f"chart.{key}", lang)


def fmt(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.2f}%"
    return f"{value:.2f}" if unit in ("ratio", "months") else f"{value:,.0f}"


def unit_label(unit: str, lang: str) -> str:
    """An indicator unit's name in `lang` (`sim.locale`'s `unit.UNIT`)."""
    return locale.text(f"unit.{unit}", lang)


def value_axis(ax, unit: str) -> None:
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: fmt(v, unit)))
    ax.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))


# -- marks -----------------------------------------------------------------------------------------
def band(ax, years, q: dict, colour: str, label: str) -> None:
    """Median line with an outer p10-p90 band and, when given, an inner p25-p75 band."""
    ax.fill_between(years, q[0.1], q[0.9], color=colour, alpha=BAND_ALPHA["outer"], lw=0)
    if 0.25 in q and 0.75 in q:
        ax.fill_between(years, q[0.25], q[0.75], color=colour, alpha=BAND_ALPHA["inner"], lw=0)
    ax.plot(years, q[0.5], color=colour, lw=2.6, marker="o", ms=4.5, label=label)


def mark_base(ax, year: int, value: float, unit: str, lang: str) -> None:
    """The 2020 base: a black dot with its value."""
    ax.scatter([year], [value], color=BASE, zorder=6, s=42)
    ax.annotate(f"{t('base', lang)} {fmt(value, unit)}", (year, value), textcoords="offset points",
                xytext=(-4, 12), ha="left", va="bottom", fontsize=10.5, color=BASE,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75})


def target_line(ax, years: list[int], value: float, comparator: str, source: str, unit: str, lang: str) -> None:
    """A dashed line at the target level over its years, labelled with level and source clause."""
    lo, hi = min(years) - 0.35, max(years) + 0.35
    ax.hlines(value, lo, hi, colors=TARGET, linestyles="--", lw=1.6, zorder=4)
    ax.scatter(years, [value] * len(years), marker="D", s=34, color=TARGET, zorder=5)
    when = str(years[0]) if len(years) == 1 else f"{t('each_year', lang)} {years[0]}-{years[-1]}"
    clause = source if len(source) <= SOURCE_CHARS else source[:SOURCE_CHARS - 1] + "…"
    label = f"{t('target', lang)} {when} {COMPARATOR_TEXT.get(comparator, comparator)}{fmt(value, unit)}\n{clause}"
    ax.annotate(label, (hi, value), textcoords="offset points", xytext=(-4, 6), ha="right", va="bottom",
                fontsize=9.5, color=TARGET, zorder=7,
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.8})


def met_marker(ax, year: int, value: float, prob: float, lang: str, label: bool = True,
               above: bool = False) -> None:
    """A ring on the projection at a target year: green when most replicates meet the target, red when not;
    the label goes above the ring (`above`) or below it, so two scenarios' labels do not collide."""
    ok = prob >= 0.5
    ax.scatter([year], [value], s=150, facecolors="none", edgecolors=MET if ok else NOT_MET, lw=2.4, zorder=8)
    if label:
        ax.annotate(f"{t('met' if ok else 'not_met', lang)} {prob:.0%}", (year, value), textcoords="offset points",
                    xytext=(10, 4 if above else -4), fontsize=10, color=MET if ok else NOT_MET, fontweight="bold",
                    va="bottom" if above else "top")


def footnote(fig, text: str) -> None:
    fig.text(0.01, 0.01, text, fontsize=8.5, color=MUTED, ha="left", va="bottom", wrap=True)


# -- saving ----------------------------------------------------------------------------------------
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save(fig, path_stem: str | Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Write `path_stem.png` and `path_stem.svg`, each atomically (temporary file, then rename); closes `fig`."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    try:
        for ext in formats:
            final = stem.with_name(f"{stem.name}.{ext}")
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fig.savefig(fh, format=ext, dpi=PNG_DPI)
                os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes it private; a chart is not
                os.replace(tmp, final)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            paths.append(final)
    finally:
        plt.close(fig)
    return paths
