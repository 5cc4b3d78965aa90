"""The obligations catalogue that ships with the product: the EU AI Act as amended and as it
stands today, one duty per obligation (its dates of application: compliance/application_dates.py).

Data only, loaded by ``services.catalogue_load`` (new installations) and brought to existing
ones by migration 0006 (``services.catalogue_upgrade``); administrators correct dates in the
admin afterwards, and the due dates of open obligations follow. Every duty names its article,
its legal act, the act that sets its date (through its application date) and its source.

Sources (checked on ``application_dates.REVIEWED_ON``):

- Regulation (EU) 2024/1689 (the AI Act), OJ L, 2024/1689, 12.7.2024 (ELI below): the
  articles named in each entry; Art. 113 for the original dates of application.
- The Digital Omnibus on AI, the Regulation amending Regulations (EU) 2024/1689 and (EU)
  2018/1139 as regards the simplification of the implementation of harmonised rules on
  artificial intelligence (Commission proposal COM(2025) 836 of 19 November 2025, procedure
  2025/0359(COD)): provisional political agreement of 7 May 2026, adopted by the European
  Parliament on 16 June 2026 and by the Council on 29 June 2026. See ``OMNIBUS_SOURCES``.
  Its Official Journal reference could not be verified at the review: the catalogue says so
  in ``OMNIBUS_OJ`` and in every date it sets.
"""

from compliance.application_dates import AI_ACT, AI_ACT_URL

VERSION = "2"
VERSION_NOTES = (
    "Version 2: the AI Act as amended by the Digital Omnibus on AI (Annex III high-risk duties "
    "from 2 December 2027, Annex I products from 2 August 2028, Art. 50 unchanged at 2 August "
    "2026, Art. 4 softened to a duty to take measures); one duty per obligation (Art. 43, 47 "
    "and 48 apart; Art. 50(1) to 50(4) apart, each on its own fact); the Art. 16 provider items "
    "(Art. 16(b), 16(l), 18, 19, 20, 21), Art. 26(8), 26(9), Art. 86 and Art. 73 added; "
    "when each duty "
    "is due (before first use, before go-live, ongoing, on an event)."
)

ALL_TIERS = ["minimal", "limited", "high"]
NOT_HIGH = ["minimal", "limited"]
HIGH = ["high"]
P, D, PD = ["provider"], ["deployer"], ["provider", "deployer"]
FIRST_USE, GO_LIVE, ONGOING, ON_EVENT = "before_first_use", "before_go_live", "ongoing", "on_event"
HR = "annex_iii_high_risk"  # routed to annex_i_products for Annex I systems (applicability)


def entry(code, article, title, tiers, roles, due, *, date=HR, condition="", description=""):
    """One catalogue entry as a dict of ObligationType fields."""
    return {
        "code": code,
        "article": article,
        "title": title,
        "description": description,
        "tiers": tiers,
        "roles": roles,
        "condition": condition,
        "application_date": date,
        "due_when": due,
        "legal_act": AI_ACT,
        "source": f"{AI_ACT}, {article}",
        "source_url": AI_ACT_URL,
    }


OBLIGATION_TYPES = [
    entry(
        "art4_ai_literacy",
        "Art. 4",
        "Take measures to support the AI literacy of staff and others operating the system",
        ALL_TIERS,
        PD,
        ONGOING,
        date="prohibitions_literacy",
        description="As amended by the Digital Omnibus on AI: an obligation of effort.",
    ),
    # Providers of high-risk systems (Chapter III, Sections 2 and 3).
    entry("art9_risk_management", "Art. 9", "Risk management system", HIGH, P, GO_LIVE),
    entry("art10_data_governance", "Art. 10", "Data and data governance", HIGH, P, GO_LIVE),
    entry(
        "art11_technical_docs", "Art. 11", "Technical documentation (Annex IV)", HIGH, P, GO_LIVE
    ),
    entry(
        "art12_record_keeping", "Art. 12", "Automatic recording of events (logs)", HIGH, P, GO_LIVE
    ),
    entry(
        "art13_instructions", "Art. 13", "Transparency and instructions for use", HIGH, P, GO_LIVE
    ),
    entry(
        "art14_oversight_design",
        "Art. 14",
        "Designed for effective human oversight",
        HIGH,
        P,
        GO_LIVE,
    ),
    entry(
        "art15_accuracy_robustness",
        "Art. 15",
        "Accuracy, robustness and cybersecurity",
        HIGH,
        P,
        GO_LIVE,
    ),
    entry(
        "art16_b_identification",
        "Art. 16(b)",
        "Name, registered trade name and contact address on the system, packaging or documents",
        HIGH,
        P,
        GO_LIVE,
    ),
    entry(
        "art16_l_accessibility",
        "Art. 16(l)",
        "Accessibility requirements of Directives (EU) 2016/2102 and (EU) 2019/882",
        HIGH,
        P,
        GO_LIVE,
    ),
    entry("art17_quality_management", "Art. 17", "Quality management system", HIGH, P, GO_LIVE),
    entry(
        "art18_documentation_keeping",
        "Art. 18",
        "Keep the documentation at the authorities' disposal for 10 years",
        HIGH,
        P,
        ONGOING,
    ),
    entry(
        "art19_logs",
        "Art. 19",
        "Keep the automatically generated logs under the provider's control (at least six months)",
        HIGH,
        P,
        ONGOING,
    ),
    entry(
        "art20_corrective_action",
        "Art. 20",
        "Corrective action, withdrawal or recall of a non-conforming system, and informing others",
        HIGH,
        P,
        ON_EVENT,
    ),
    entry(
        "art21_cooperation",
        "Art. 21",
        "Cooperate with competent authorities on a reasoned request",
        HIGH,
        P,
        ON_EVENT,
    ),
    entry(
        "art43_conformity",
        "Art. 43",
        "Conformity assessment procedure",
        HIGH,
        P,
        GO_LIVE,
    ),
    entry("art47_declaration", "Art. 47", "EU declaration of conformity", HIGH, P, GO_LIVE),
    entry("art48_ce_marking", "Art. 48", "CE marking", HIGH, P, GO_LIVE),
    entry(
        "art49_registration",
        "Art. 49(1)",
        "Registration in the EU database (Annex III systems)",
        HIGH,
        P,
        GO_LIVE,
        condition="annex_iii",
    ),
    entry("art72_post_market", "Art. 72", "Post-market monitoring system", HIGH, P, GO_LIVE),
    entry(
        "art73_serious_incidents",
        "Art. 73",
        "Report serious incidents to the market surveillance authority",
        HIGH,
        P,
        ON_EVENT,
        description="Within 15 days of becoming aware (Art. 73(2)); 10 days where a death may be "
        "involved (73(4)); 2 days for a widespread infringement or a serious disruption of "
        "critical infrastructure (73(3)).",
    ),
    # Deployers of high-risk systems (Art. 26, 27, 86). Their duties stand whatever a
    # provider claims under Art. 6(3).
    entry(
        "art26_1_instructions",
        "Art. 26(1)",
        "Use the system in accordance with the provider's instructions",
        HIGH,
        D,
        FIRST_USE,
    ),
    entry(
        "art26_2_oversight",
        "Art. 26(2)",
        "Human oversight by people with the competence, training and authority",
        HIGH,
        D,
        FIRST_USE,
    ),
    entry(
        "art26_4_input_data",
        "Art. 26(4)",
        "Input data relevant and sufficiently representative (where the deployer controls it)",
        HIGH,
        D,
        GO_LIVE,
    ),
    entry(
        "art26_5_monitoring",
        "Art. 26(5)",
        "Monitor the operation; inform the provider; suspend and report serious incidents",
        HIGH,
        D,
        ONGOING,
    ),
    entry(
        "art26_6_logs",
        "Art. 26(6)",
        "Keep the automatically generated logs for at least six months",
        HIGH,
        D,
        ONGOING,
    ),
    entry(
        "art26_7_workers",
        "Art. 26(7)",
        "Inform workers' representatives and affected workers before use at the workplace",
        HIGH,
        D,
        FIRST_USE,
    ),
    entry(
        "art26_8_registration",
        "Art. 26(8)",
        "A public authority deployer registers its use in the EU database (Art. 49(3))",
        HIGH,
        D,
        FIRST_USE,
        condition="public_authority",
    ),
    entry(
        "art26_9_dpia",
        "Art. 26(9)",
        "Use the provider's Art. 13 information for the data protection impact assessment",
        HIGH,
        D,
        FIRST_USE,
    ),
    entry(
        "art26_11_inform_persons",
        "Art. 26(11)",
        "Inform the people subject to decisions the system makes or assists",
        HIGH,
        D,
        FIRST_USE,
        condition="decisions",
    ),
    entry(
        "art27_fria",
        "Art. 27",
        "Fundamental-rights impact assessment before first use",
        HIGH,
        D,
        FIRST_USE,
        condition="fria_scope",
    ),
    entry(
        "art86_explanation",
        "Art. 86",
        "Give affected persons a clear and meaningful explanation of the decision on request",
        HIGH,
        D,
        ON_EVENT,
        date="general",
        condition="annex_iii_decisions",
    ),
    # Transparency (Art. 50), whatever the tier, each on its own fact.
    entry(
        "art50_1_interaction",
        "Art. 50(1)",
        "People are informed that they are interacting with an AI system",
        ALL_TIERS,
        P,
        FIRST_USE,
        date="general",
        condition="interacts",
    ),
    entry(
        "art50_2_marking",
        "Art. 50(2)",
        "Synthetic audio, image, video or text output marked as artificially generated",
        ALL_TIERS,
        P,
        FIRST_USE,
        date="general",
        condition="synthetic",
    ),
    entry(
        "art50_3_emotion_biometric",
        "Art. 50(3)",
        "Inform the people exposed to emotion recognition or biometric categorisation",
        ALL_TIERS,
        D,
        FIRST_USE,
        date="general",
        condition="emotion_biometric",
    ),
    entry(
        "art50_4_deep_fake",
        "Art. 50(4)",
        "Disclose deep fakes and AI-generated text published on matters of public interest",
        ALL_TIERS,
        D,
        FIRST_USE,
        date="general",
        condition="deep_fake",
    ),
    # An Annex III system that its provider holds not to be high risk (Art. 6(3)).
    entry(
        "art6_4_assessment",
        "Art. 6(4)",
        "Document the assessment that the Annex III system is not high risk",
        NOT_HIGH,
        P,
        GO_LIVE,
        condition="exemption",
    ),
    entry(
        "art49_2_registration",
        "Art. 49(2)",
        "Register the exempted Annex III system in the EU database",
        NOT_HIGH,
        P,
        GO_LIVE,
        condition="exemption",
    ),
]

# Bundled duties of catalogue version 1, split into their parts by version 2 (the bundle's
# code is kept by its first part; the obligations of the others are created from it).
SPLITS = {
    "art43_conformity": ("art43_conformity", "art47_declaration", "art48_ce_marking"),
    "art50_3_4_disclosure": ("art50_3_emotion_biometric", "art50_4_deep_fake"),
}
