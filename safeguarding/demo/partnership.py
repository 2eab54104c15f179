"""The demo partnership, its agencies and one login per role (all fictional)."""

from __future__ import annotations

from safeguarding.accounts.models import Role

SLUG = "demo"
NAME = "Northbrook Safeguarding Children Partnership"
# A published demo password is fine: the demo holds only fictional records and says so.
PASSWORD = "demo-only-password"

# short name -> (name, statutory partner, workforce)
AGENCIES = {
    "LA": ("Northbrook City Council Children and Families", True, 2400),
    "ICB": ("Northbrook Integrated Care Board (health)", True, 5200),
    "Police": ("Westshire Police, Northbrook District", True, 1800),
    "Hospital": ("Northbrook Teaching Hospitals NHS Trust", False, 9000),
    "Education": ("Northbrook schools and colleges", False, 14000),
    "Early Help": ("Northbrook Early Help and children's centres", False, 600),
    "Housing": ("Northbrook Housing", False, 700),
    "Probation": ("Probation Service, Northbrook", False, 350),
}

# username -> (first name, last name, role, agency short name)
USERS = {
    "business.unit": ("Bea", "Unit", Role.BUSINESS_UNIT, None),
    "rag.member": ("Rafi", "Advisory", Role.RAG_MEMBER, None),
    "police.lead": ("Pat", "Constable", Role.AGENCY_LEAD, "Police"),
    "health.lead": ("Hana", "Nurse", Role.AGENCY_LEAD, "ICB"),
    "independent.chair": ("Ivor", "Chair", Role.SCRUTINEER, None),
    "councillor": ("Cora", "Councillor", Role.SCRUTINY_READER, None),
}

# A user of a different partnership, to show that partnerships never see each other's records.
OTHER_SLUG = "eastmoor"
OTHER_NAME = "Eastmoor Safeguarding Children Partnership"
OTHER_USERS = {"eastmoor.unit": ("Esme", "Outsider", Role.BUSINESS_UNIT, None)}
ANALYST = ("regional.analyst", "Reg", "Analyst", Role.ANALYST)
# Runs the installation: creates partnerships and their first business unit user.
SERVICE_ADMIN = ("service.admin", "Sami", "Admin", Role.SERVICE_ADMIN)
