"""The dates of application that ship with the product: when each part of the EU AI Act
applies, as the Digital Omnibus amended it, with the act that sets each date and its source
(compliance/catalogue.py names the sources and when they were checked).

Data only, loaded with the catalogue (``services.catalogue_load``, migration 0006).
"""

from datetime import date

REVIEWED_ON = "2026-12-07"
AI_ACT = "Regulation (EU) 2024/1689 (AI Act)"
AI_ACT_URL = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
OMNIBUS = (
    "Digital Omnibus on AI (Regulation amending Regulations (EU) 2024/1689 and (EU) 2018/1139, "
    "procedure 2025/0359(COD)), adopted by the Council on 29 June 2026"
)
OMNIBUS_URL = "https://www.consilium.europa.eu/en/press/press-releases/"
OMNIBUS_OJ = (
    "Official Journal reference of the Digital Omnibus on AI: NOT VERIFIED at the review of "
    f"{REVIEWED_ON} (no source found giving its number and date of publication); it enters "
    "into force on the third day after publication."
)
# Secondary sources that agree on the amended dates (the search behind the review).
OMNIBUS_SOURCES = (
    "Political agreement 7 May 2026 and Parliament's adoption 16 June 2026: "
    "https://yrproject.nl/en/digital-omnibus-file.html; Council adoption 29 June 2026: "
    "https://dlapiper.vercel.app/en-at/insights/publications/law-in-tech/2026/"
    "digital-omnibus-on-ai and https://aiadopt.eu/en/insights/digital-omnibus-eu-ai-act; "
    "Council text with the fixed dates 2 December 2027 (Annex III) and 2 August 2028 "
    "(Annex I), ST 6969/1/26 REV 1: "
    "https://www.aijurium.com/laws-policies/proposal-regulation-european-parliament-and-council-"
    "amending-regulations-eu-20241689; Art. 50 kept at 2 August 2026 (grace to 2 December 2026 "
    "for Art. 50(2) marking by systems placed on the market before 2 August 2026): "
    "https://epium.com/news/eu-artificial-intelligence-act-omnibus-deal-delays-high-risk-rules/ "
    "and https://www.aiactblog.nl/en/posts/digital-omnibus-ai-act-what-changes-what-now-2026; "
    "Art. 4 softened to 'take measures to support the development of AI literacy': "
    "https://aiadopt.eu/en/insights/digital-omnibus-eu-ai-act."
)

# key, provision, date, source, original date, amended by, verification, note
APPLICATION_DATES = [
    (
        "prohibitions_literacy",
        "Chapters I and II: general provisions incl. Art. 4 AI literacy; Art. 5 prohibited "
        "practices",
        "2025-02-02",
        f"{AI_ACT}, Art. 113, third paragraph, point (a)",
        None,
        "",
        "Art. 113(a) of the Regulation as published (OJ L, 12.7.2024). The Digital Omnibus "
        "softens the wording of Art. 4 but leaves its date: " + OMNIBUS_SOURCES,
        "Art. 4 as amended by the Digital Omnibus: providers and deployers take measures to "
        "support the development of AI literacy (an obligation of effort, no longer 'ensure a "
        "sufficient level').",
    ),
    (
        "gpai",
        "Chapter III Section 4, Chapter V (general-purpose AI models), Chapter VII, Chapter XII "
        "(except Art. 101) and Art. 78",
        "2025-08-02",
        f"{AI_ACT}, Art. 113, third paragraph, point (b)",
        None,
        "",
        "Art. 113(b) of the Regulation as published.",
        "",
    ),
    (
        "general",
        "The rest of the Regulation that the Digital Omnibus did not postpone, incl. Art. 50 "
        "transparency duties and Art. 86",
        "2026-08-02",
        f"{AI_ACT}, Art. 113, second paragraph",
        None,
        "",
        "Art. 113, second paragraph. The Digital Omnibus leaves Art. 50 at this date (a grace "
        "period to 2 December 2026 for the Art. 50(2) marking of systems placed on the market "
        "before 2 August 2026): " + OMNIBUS_SOURCES,
        "Art. 86 is in Chapter IX, not among the high-risk provisions the Omnibus postpones in "
        "the sources reviewed; that it keeps this date is not verified against the amending "
        "text.",
    ),
    (
        "annex_iii_high_risk",
        "High-risk AI systems under Art. 6(2) and Annex III (stand-alone): Chapter III "
        "obligations of providers and deployers, Art. 27, Art. 49, Art. 72 and 73",
        "2027-12-02",
        f"{OMNIBUS}, amending Art. 113 of {AI_ACT}",
        "2026-08-02",
        OMNIBUS,
        "Date confirmed by several sources: " + OMNIBUS_SOURCES + " " + OMNIBUS_OJ,
        "Was 2 August 2026 (Art. 113, second paragraph) before the Digital Omnibus.",
    ),
    (
        "annex_i_products",
        "High-risk AI systems under Art. 6(1) and Annex I (safety components of regulated "
        "products) and the corresponding obligations",
        "2028-08-02",
        f"{OMNIBUS}, amending Art. 113 of {AI_ACT}",
        "2027-08-02",
        OMNIBUS,
        "Date confirmed by several sources: " + OMNIBUS_SOURCES + " " + OMNIBUS_OJ,
        "Was 2 August 2027 (Art. 113, third paragraph, point (c)) before the Digital Omnibus.",
    ),
]


def date_fields(row) -> dict:
    """One row of ``APPLICATION_DATES`` as ApplicationDate fields (key included)."""
    key, provision, applies_from, source, original, amended_by, verification, note = row
    return {
        "key": key,
        "provision": provision,
        "applies_from": date.fromisoformat(applies_from),
        "source": source,
        "source_url": OMNIBUS_URL if amended_by else AI_ACT_URL,
        "original_date": date.fromisoformat(original) if original else None,
        "amended_by": amended_by,
        "amended_by_url": OMNIBUS_URL if amended_by else "",
        "verification": verification,
        "note": note,
    }
