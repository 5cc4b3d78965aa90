"""Catalogue version 1, frozen for migration 0002 (version 2, compliance.catalogue, is
brought in by migration 0006). The obligations catalogue and the dates of application.

Data only, loaded by migration 0002 and by ``services.catalogue_load``; administrators
edit both in the admin afterwards. Every entry names its article and source. Sources:

- Regulation (EU) 2024/1689 (the AI Act), OJ L, 12.7.2024, ELI below: Art. 4, 5, 6, 9-17,
  26, 27, 43, 47-50, 72, 73 and Art. 113 (entry into force and application).
- The 'Digital Omnibus on AI' proposal of 19 November 2025 (COM(2025) 836) would postpone
  the high-risk dates; it is a proposal, so the dates below are the Regulation's, with a note.
"""

AI_ACT = "Regulation (EU) 2024/1689 (AI Act)"
AI_ACT_URL = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"
OMNIBUS_NOTE = (
    "The Commission's 'Digital Omnibus on AI' proposal of 19 November 2025 (COM(2025) 836) "
    "proposes to postpone the high-risk obligations (Annex III systems to 2 December 2027 at "
    "the latest, Annex I products to 2 August 2028). A proposal changes nothing until it is "
    "adopted and published in the Official Journal: correct this date then, with the "
    "amending act as the source."
)

# key, provision, date, source, note
APPLICATION_DATES = [
    (
        "prohibitions_literacy",
        "Chapters I and II: general provisions incl. Art. 4 AI literacy; Art. 5 prohibited "
        "practices",
        "2025-02-02",
        f"{AI_ACT}, Art. 113, third paragraph, point (a)",
        "",
    ),
    (
        "gpai",
        "Chapter III Section 4, Chapter V (general-purpose AI models), Chapter VII, Chapter XII "
        "(except Art. 101) and Art. 78",
        "2025-08-02",
        f"{AI_ACT}, Art. 113, third paragraph, point (b)",
        "",
    ),
    (
        "general",
        "The rest of the Regulation, incl. Annex III high-risk systems (Art. 6(2)), Art. 26 "
        "deployer duties, Art. 27 and Art. 50",
        "2026-08-02",
        f"{AI_ACT}, Art. 113, second paragraph",
        OMNIBUS_NOTE,
    ),
    (
        "annex_i_products",
        "Art. 6(1) (safety components of Annex I products) and the corresponding obligations",
        "2027-08-02",
        f"{AI_ACT}, Art. 113, third paragraph, point (c)",
        OMNIBUS_NOTE,
    ),
]

ALL_TIERS = ["minimal", "limited", "high"]
NOT_HIGH = ["minimal", "limited"]
TRANSPARENT = ["limited", "high"]


def entry(code, article, title, tiers, roles, *, date="general", condition="", gating=True, **more):
    """One catalogue entry as a dict of ObligationType fields."""
    return {
        "code": code,
        "article": article,
        "title": title,
        "description": more.get("description", ""),
        "tiers": tiers,
        "roles": roles,
        "condition": condition,
        "application_date": date,
        "before_go_live": gating,
        "source": f"{AI_ACT}, {article}",
        "source_url": AI_ACT_URL,
    }


P, D = ["provider"], ["deployer"]
OBLIGATION_TYPES = [
    entry(
        "art4_ai_literacy",
        "Art. 4",
        "AI literacy of the staff and others who operate or use the system",
        ALL_TIERS,
        [*P, *D],
        date="prohibitions_literacy",
        gating=False,
    ),
    # Providers of high-risk systems (Chapter III, Section 2 and 3).
    entry("art9_risk_management", "Art. 9", "Risk management system", ["high"], P),
    entry("art10_data_governance", "Art. 10", "Data and data governance", ["high"], P),
    entry("art11_technical_docs", "Art. 11", "Technical documentation (Annex IV)", ["high"], P),
    entry("art12_record_keeping", "Art. 12", "Automatic recording of events (logs)", ["high"], P),
    entry("art13_instructions", "Art. 13", "Transparency and instructions for use", ["high"], P),
    entry(
        "art14_oversight_design", "Art. 14", "Designed for effective human oversight", ["high"], P
    ),
    entry(
        "art15_accuracy_robustness",
        "Art. 15",
        "Accuracy, robustness and cybersecurity",
        ["high"],
        P,
    ),
    entry("art17_quality_management", "Art. 17", "Quality management system", ["high"], P),
    entry(
        "art43_conformity",
        "Art. 43, 47, 48",
        "Conformity assessment, EU declaration of conformity and CE marking",
        ["high"],
        P,
    ),
    entry("art49_registration", "Art. 49(1)", "Registration in the EU database", ["high"], P),
    entry("art72_post_market", "Art. 72", "Post-market monitoring system", ["high"], P),
    entry(
        "art73_serious_incidents",
        "Art. 73",
        "Reporting of serious incidents",
        ["high"],
        P,
        gating=False,
    ),
    # Deployers of high-risk systems (Art. 26, 27).
    entry(
        "art26_1_instructions",
        "Art. 26(1)",
        "Use the system in accordance with the provider's instructions",
        ["high"],
        D,
    ),
    entry(
        "art26_2_oversight",
        "Art. 26(2)",
        "Human oversight by people with the competence, training and authority",
        ["high"],
        D,
    ),
    entry(
        "art26_4_input_data",
        "Art. 26(4)",
        "Input data relevant and sufficiently representative (where the deployer controls it)",
        ["high"],
        D,
    ),
    entry(
        "art26_5_monitoring",
        "Art. 26(5)",
        "Monitor the operation; inform the provider; suspend and report serious incidents",
        ["high"],
        D,
    ),
    entry(
        "art26_6_logs",
        "Art. 26(6)",
        "Keep the automatically generated logs for at least six months",
        ["high"],
        D,
    ),
    entry(
        "art26_7_workers",
        "Art. 26(7)",
        "Inform workers' representatives and affected workers before use at the workplace",
        ["high"],
        D,
    ),
    entry(
        "art26_11_inform_persons",
        "Art. 26(11)",
        "Inform the people subject to decisions the system makes or assists",
        ["high"],
        D,
    ),
    entry(
        "art27_fria",
        "Art. 27",
        "Fundamental-rights impact assessment before first use",
        ["high"],
        D,
        condition="fria_scope",
    ),
    # Transparency (Art. 50), whatever the tier, when the system talks to people or
    # generates content they see.
    entry(
        "art50_1_interaction",
        "Art. 50(1)",
        "People are informed that they are interacting with an AI system",
        TRANSPARENT,
        P,
        condition="transparency",
    ),
    entry(
        "art50_2_marking",
        "Art. 50(2)",
        "Synthetic audio, image, video or text output marked as artificially generated",
        TRANSPARENT,
        P,
        condition="transparency",
    ),
    entry(
        "art50_3_4_disclosure",
        "Art. 50(3), 50(4)",
        "Disclose emotion recognition or biometric categorisation, deep fakes and AI-generated "
        "public-interest text",
        TRANSPARENT,
        D,
        condition="transparency",
    ),
    # An Annex III system that a provider holds not to be high risk (Art. 6(3)).
    entry(
        "art6_4_assessment",
        "Art. 6(4)",
        "Document the assessment that the Annex III system is not high risk",
        NOT_HIGH,
        P,
        condition="exemption",
    ),
    entry(
        "art49_2_registration",
        "Art. 49(2)",
        "Register the exempted Annex III system in the EU database",
        NOT_HIGH,
        P,
        condition="exemption",
    ),
]
