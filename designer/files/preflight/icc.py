"""ICC profiles: a merchant's printer profile, for CMYK print-ready PDFs (rendering/cmyk.py).

A profile is accepted when LittleCMS (Pillow's ImageCms) reads it, it is an output-class
(`prtr`) profile for CMYK, and it converts sRGB into its CMYK: what a press's profile is. A
display (RGB) profile, an input profile or a device link fails `profile`, saying which it is, and
so does one over MAX_PROFILE_BYTES: every CMYK PDF embeds its profile, and a press's is rarely
over 3 MB.
"""

import io

from PIL import ImageCms

from designer.files.preflight import Limits, Report, Rules, size_text

MAX_PROFILE_BYTES = 8 * 1024 * 1024


def check_icc(data: bytes, report: Report, rules: Rules, limits: Limits):
    """Fill `report` for an ICC profile; returns (bytes to store, None)."""
    if len(data) > MAX_PROFILE_BYTES:
        report.fail(
            "profile",
            f"The ICC profile is {size_text(len(data))}; a printer profile may be at most "
            f"{size_text(MAX_PROFILE_BYTES)}, as every CMYK PDF carries it",
        )
        return data, None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as error:
        report.fail("integrity", f"The ICC profile cannot be read ({error})")
        return data, None
    space, device_class = profile.profile.xcolor_space.strip(), profile.profile.device_class
    if space != "CMYK":
        report.fail(
            "profile", f"The ICC profile is for {space or 'an unknown colour space'}; upload a CMYK one"
        )
    elif device_class != "prtr":
        report.fail(
            "profile",
            f"The ICC profile is a '{device_class}' profile; upload the printer's output (prtr) profile",
        )
    else:
        try:
            ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK")
        except ImageCms.PyCMSError as error:
            report.fail("profile", f"The ICC profile cannot convert colours to CMYK ({error})")
        else:
            description = ImageCms.getProfileDescription(profile).strip()
            report.passed("profile", f"A CMYK printer profile: {description or 'no description'}")
    return data, None
