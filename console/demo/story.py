"""The demo portfolio's people: one place for the logins that load_demo creates and serve prints."""

# A published demo password: the demo loader refuses to run in production.
DEMO_PASSWORD = "flywheel-demo"

# (username, what they do); department heads are "head-<department slug>".
DEMO_LOGINS = (
    ("exec", "executive: the portfolio dashboard in the admin (read-only)"),
    ("cfo", "executive who sponsors use cases: signs their definition of success"),
    ("admin", "portfolio administrator: departments, boards, criteria (superuser)"),
    ("head-claims", "department head of Claims: submit, edit, request reviews"),
    ("ops-claims", "operator lead in Claims: signs the definition of success"),
    ("board-chair", "governance board chair: review queue, vote, close"),
    ("board-1", "governance board member"),
    ("board-2", "governance board member"),
    ("board-3", "governance board member"),
)

# (name, slug, trend): the trend shapes durations so the velocity view has a story to tell.
DEPARTMENTS = (
    ("Claims", "claims", "accelerating"),
    ("Customer Service", "customer-service", "accelerating"),
    ("Finance", "finance", "accelerating"),
    ("Underwriting", "underwriting", "steady"),
    ("Supply Chain", "supply-chain", "steady"),
    ("Marketing", "marketing", "decelerating"),
    ("People and HR", "people", "decelerating"),
)

# Per department: (title, business metric, unit, direction, baseline, target).
CATALOGUE = {
    "claims": [
        ("Claims triage assistant", "Claim cycle time", "days", "lower", 9, 4),
        ("Fraud signal scoring", "Fraud leakage", "EUR k/month", "lower", 420, 250),
        ("Damage photo assessment", "Desk assessment time", "minutes", "lower", 45, 15),
        ("Subrogation opportunity finder", "Recovered amount", "EUR k/month", "higher", 80, 140),
        ("Claims letter drafting", "Letters per handler-day", "letters", "higher", 22, 40),
        ("Medical bill review", "Overpayment rate", "%", "lower", 6.5, 3),
        ("First notice of loss bot", "Call handling time", "minutes", "lower", 14, 7),
        ("Reserve estimation", "Reserve accuracy error", "%", "lower", 18, 8),
        ("Litigation risk flags", "Claims litigated", "%", "lower", 7, 4.5),
        ("Repair shop routing", "Repair cost per claim", "EUR", "lower", 2300, 1900),
        ("Claims complaint summariser", "Complaint resolution time", "days", "lower", 12, 5),
        ("Total-loss valuation", "Valuation disputes", "per month", "lower", 60, 25),
    ],
    "customer-service": [
        ("Email intent routing", "First response time", "hours", "lower", 20, 4),
        ("Agent answer suggestions", "Average handling time", "minutes", "lower", 9, 6),
        ("Churn-risk callback list", "Monthly churn", "%", "lower", 2.1, 1.6),
        ("Call summarisation", "After-call work", "minutes", "lower", 4, 1),
        ("Self-service FAQ assistant", "Contacts deflected", "%", "higher", 8, 25),
        ("Quality review sampling", "QA coverage", "%", "higher", 3, 20),
        ("Complaint early warning", "Escalated complaints", "per month", "lower", 140, 80),
        ("Multilingual chat", "Chat CSAT", "score", "higher", 71, 80),
        ("Workforce demand forecast", "Service level met", "%", "higher", 74, 88),
        ("Callback scheduling", "Abandon rate", "%", "lower", 11, 5),
        ("Sentiment coaching", "Agent attrition", "%/year", "lower", 34, 25),
    ],
    "finance": [
        ("Invoice data capture", "Cost per invoice", "EUR", "lower", 7.5, 3),
        ("Payment matching", "Unmatched payments", "per day", "lower", 300, 60),
        ("Expense audit sampling", "Non-compliant expenses found", "EUR k/month", "higher", 12, 30),
        ("Cash forecast", "Forecast error", "%", "lower", 14, 6),
        ("Close checklist assistant", "Days to close", "days", "lower", 9, 5),
        ("Vendor duplicate detection", "Duplicate payments", "EUR k/year", "lower", 180, 40),
        ("Collections prioritisation", "Days sales outstanding", "days", "lower", 52, 41),
        ("Tax code suggestion", "Tax corrections", "per month", "lower", 90, 30),
        ("Budget variance narratives", "Analyst hours per cycle", "hours", "lower", 120, 50),
        ("Intercompany reconciliation", "Open items at close", "items", "lower", 400, 120),
        ("Procurement spend cube", "Spend under contract", "%", "higher", 61, 75),
    ],
    "underwriting": [
        ("Submission intake extraction", "Quote turnaround", "days", "lower", 6, 2),
        ("Risk appetite checker", "Declined after review", "%", "lower", 30, 18),
        ("Property risk imagery", "Inspection cost per policy", "EUR", "lower", 180, 90),
        ("Pricing adequacy monitor", "Loss ratio", "%", "lower", 68, 63),
        ("Broker email assistant", "Broker response time", "hours", "lower", 30, 8),
        ("Renewal risk scoring", "Renewal retention", "%", "higher", 82, 87),
        ("Credit limit assistant", "Bad debt rate", "%", "lower", 1.8, 1.2),
        ("Policy wording comparison", "Wording review time", "hours", "lower", 5, 2),
        ("Cat exposure summary", "Exposure report time", "days", "lower", 10, 3),
        ("Referral triage", "Referrals per underwriter", "per week", "lower", 40, 25),
        ("Quote-to-bind nudges", "Quote-to-bind ratio", "%", "higher", 24, 31),
    ],
    "supply-chain": [
        ("Demand sensing", "Forecast accuracy", "%", "higher", 71, 82),
        ("Supplier risk radar", "Supply disruptions", "per quarter", "lower", 14, 8),
        ("Inventory rebalancing", "Stock-outs", "per week", "lower", 55, 30),
        ("Carrier ETA prediction", "On-time delivery", "%", "higher", 88, 94),
        ("Purchase order automation", "PO cycle time", "days", "lower", 4, 1.5),
        ("Warehouse slotting", "Picks per hour", "picks", "higher", 90, 115),
        ("Returns grading", "Return processing cost", "EUR", "lower", 9, 6),
        ("Freight invoice audit", "Freight overcharges", "EUR k/month", "lower", 70, 30),
        ("Spare parts forecasting", "Parts availability", "%", "higher", 91, 96),
        ("Route optimisation", "Cost per drop", "EUR", "lower", 6.2, 5.1),
        ("Supplier contract extraction", "Contract review time", "hours", "lower", 6, 2),
    ],
    "marketing": [
        ("Next best offer", "Campaign conversion", "%", "higher", 2.1, 3.2),
        ("Copy generation", "Cost per campaign asset", "EUR", "lower", 900, 300),
        ("Lead scoring", "Sales-accepted leads", "%", "higher", 35, 50),
        ("Media mix model", "Marketing ROI", "ratio", "higher", 2.4, 3.0),
        ("Social listening", "Time to detect issue", "hours", "lower", 30, 4),
        ("Personalised email timing", "Email click rate", "%", "higher", 2.8, 4.0),
        ("Audience lookalikes", "Cost per acquisition", "EUR", "lower", 95, 70),
        ("Brand safety checks", "Unsafe placements", "per month", "lower", 40, 5),
        ("Pricing promotion planner", "Promotion margin", "%", "higher", 11, 15),
        ("Customer review insights", "Product issues found", "per month", "higher", 6, 15),
        ("Landing page testing", "Page conversion", "%", "higher", 3.5, 4.5),
    ],
    "people": [
        ("HR policy assistant", "HR tickets per employee", "per year", "lower", 3.2, 1.8),
        ("Onboarding guide", "Time to productivity", "days", "lower", 60, 40),
        ("Skills inference", "Internal fill rate", "%", "higher", 22, 35),
        ("Attrition early warning", "Regretted attrition", "%/year", "lower", 9, 7),
        ("Interview scheduling", "Time to hire", "days", "lower", 48, 30),
        ("Learning recommendations", "Training completion", "%", "higher", 55, 75),
        ("Payroll anomaly checks", "Payroll corrections", "per month", "lower", 70, 25),
        ("Candidate screening support", "Recruiter hours per hire", "hours", "lower", 25, 15),
        ("Engagement survey themes", "Survey analysis time", "days", "lower", 20, 3),
        ("Interview emotion analysis", "Interview-to-offer ratio", "%", "higher", 18, 25),
        ("Shift planning", "Overtime cost", "EUR k/month", "lower", 210, 150),
    ],
}

# Cross-department reuse: (department slug, title) reuses (template department, template title).
CROSS_TEMPLATES = {
    ("customer-service", "Call summarisation"): ("claims", "Claims complaint summariser"),
    ("finance", "Invoice data capture"): ("underwriting", "Submission intake extraction"),
    ("underwriting", "Broker email assistant"): ("customer-service", "Email intent routing"),
    ("supply-chain", "Supplier contract extraction"): ("finance", "Invoice data capture"),
    ("people", "HR policy assistant"): ("customer-service", "Self-service FAQ assistant"),
    ("marketing", "Customer review insights"): ("claims", "Claims complaint summariser"),
}

# Use cases that raise the EU AI Act tier: title -> (annex III or safety, prohibited).
HIGH_RISK = {"Candidate screening support", "Credit limit assistant", "Skills inference"}
PROHIBITED = {"Interview emotion analysis"}


def demo_logins_shown() -> bool:
    """The demo logins are shown only where they work: the demo is loaded (its first login
    exists) and this is not production (where the loader refuses to run)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    if getattr(settings, "PRODUCTION", False):
        return False
    return get_user_model().objects.filter(username=DEMO_LOGINS[0][0]).exists()
