"""WCAG 2 contrast of a brand's colour pairs, checked when the brand loads."""

from __future__ import annotations

AA_NORMAL = 4.5
"""Least contrast WCAG AA asks of body-size text."""

PAIRS = (
    ("foreground", "background", "body text"),
    ("primary", "background", "headings and links"),
    ("secondary", "background", "the release line and labels"),
)
"""Colour pairs the layouts set text in: (text colour, background colour, what uses it)."""


def srgb(color: str) -> tuple[float, float, float] | None:
    """A CSS colour as sRGB components from 0 to 1, or None when it is not a colour."""
    from tinycss2.color4 import parse_color

    parsed = parse_color(color)
    if parsed is None or not hasattr(parsed, "to"):
        return None
    red, green, blue = parsed.to("srgb").coordinates
    return (min(max(red, 0.0), 1.0), min(max(green, 0.0), 1.0), min(max(blue, 0.0), 1.0))


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two CSS colours, from 1 to 21."""
    a, b = srgb(first), srgb(second)
    if a is None or b is None:
        raise ValueError(f"not a colour: {first if a is None else second}")
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def problems(colors: dict[str, str]) -> list[tuple[str, str]]:
    """(field, message) for every unreadable colour or pair below WCAG AA."""
    found: list[tuple[str, str]] = []
    for name, value in colors.items():
        if name in {p[0] for p in PAIRS} | {"background"} and srgb(value) is None:
            found.append((f"color.{name}", f"{value!r} is not a colour; write it as #rrggbb"))
    if found:
        return found
    for text, ground, use in PAIRS:
        measured = ratio(colors[text], colors[ground])
        if measured < AA_NORMAL:
            found.append(
                (
                    f"color.{text}",
                    f"{text} {colors[text]} on {ground} {colors[ground]} has a contrast of {measured:.2f}:1, "
                    f"below the {AA_NORMAL}:1 WCAG AA asks for {use}; choose a darker or lighter {text}",
                )
            )
    return found
