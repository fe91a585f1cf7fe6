"""Physical units. Presswork keeps every size in millimetres; the API speaks the product's unit."""

from typing import Literal

DimensionUnit = Literal["mm", "cm", "inch"]

MM_PER_UNIT: dict[str, float] = {"mm": 1.0, "cm": 10.0, "inch": 25.4}
MM_PER_INCH = 25.4
MM_PER_POINT = MM_PER_INCH / 72


def to_mm(value: float, unit: DimensionUnit) -> float:
    return value * MM_PER_UNIT[unit]


def from_mm(value_mm: float, unit: DimensionUnit) -> float:
    # Rounded to a micrometre so 3.5 in comes back as 3.5, not 3.4999999999999996.
    return round(value_mm / MM_PER_UNIT[unit], 6 if unit == "inch" else 4)
