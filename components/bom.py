"""CycloneDX ML-BOM import (JSON, spec 1.6 or later).

The file is checked once against cyclonedx-python-lib's strict JSON schema for its own spec
version (components.bom_schema: the library's validator with two slow checks made fast; an
invalid BOM is refused with the validator's message and the JSON path), then
its machine-learning-model and data components, their suppliers and model cards become
Components, linked to the use case named at upload:

- idempotent: a component is found again by (the BOM's serialNumber, its bom-ref), a
  supplier by (serialNumber, "supplier:" + its name); a second import of the same BOM
  changes nothing, a later version of it updates what changed;
- a dry run plans the same import and writes nothing;
- models link as "model in production", data referenced by a model card's datasets as
  "training data", other data as "input data", suppliers as "provider".
"""

import json
from dataclasses import dataclass, field

import rules
from cyclonedx.schema import SchemaVersion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from components.bom_schema import bom_validator
from components.choices import ComponentKind, LinkRole
from components.models import Component, ComponentLink

KINDS = {"machine-learning-model": ComponentKind.MODEL, "data": ComponentKind.DATASET}
VERSIONS = {"1.6": SchemaVersion.V1_6, "1.7": SchemaVersion.V1_7}
# The fields an import sets; a later import overwrites them, nothing else.
IMPORTED = (
    "kind",
    "name",
    "version",
    "description",
    "licence",
    "model_card",
    "source",
    "personal_data",
)


class BomError(ValidationError):
    """A file that is not a valid CycloneDX ML-BOM: the message and the JSON path."""

    def __init__(self, message: str, *, path: str = "$"):
        super().__init__(
            {"file": _("%(message)s (at %(path)s)") % {"message": message, "path": path}}
        )
        self.bom_message, self.bom_path = message, path


@dataclass
class Planned:
    bom_ref: str
    kind: str
    values: dict
    supplier_ref: str = ""
    role: str = ""
    action: str = ""  # create, update, unchanged
    component: Component | None = None


@dataclass
class Plan:
    serial: str
    spec_version: str
    items: list[Planned] = field(default_factory=list)
    skipped: dict = field(default_factory=dict)

    def report(self, *, dry_run: bool, links: int) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for item in self.items:
            counts[item.action] += 1
        return {
            "dry_run": dry_run,
            "serial_number": self.serial,
            "spec_version": self.spec_version,
            "components": counts,
            "links_added": links,
            "skipped_types": self.skipped,
            "rows": [
                {
                    "bom_ref": i.bom_ref,
                    "kind": i.kind,
                    "name": i.values["name"],
                    "version": i.values.get("version", ""),
                    "action": i.action,
                }
                for i in self.items
            ],
        }


def bom_parse(raw: bytes | str) -> dict:
    """The BOM as a dict, after the library's validator accepted it for its spec version."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BomError(_("Not JSON: %(exc)s") % {"exc": exc}) from exc
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        raise BomError(_("Not a CycloneDX BOM: bomFormat must be 'CycloneDX'"), path="$.bomFormat")
    spec = document.get("specVersion")
    if spec not in VERSIONS:
        raise BomError(
            _("Spec version %(spec)s is not supported; allowed: %(versions)s")
            % {"spec": repr(spec), "versions": ", ".join(VERSIONS)},
            path="$.specVersion",
        )
    error = next(bom_validator(VERSIONS[spec]).iter_errors(document), None)
    if error is not None:
        message = error.message if len(error.message) <= 500 else error.message[:497] + "..."
        raise BomError(message, path=error.json_path)
    if not document.get("serialNumber"):
        raise BomError(_("A serialNumber is needed to import idempotently"), path="$.serialNumber")
    return document


def _licence(component: dict) -> str:
    for choice in component.get("licenses") or ():
        if "expression" in choice:
            return choice["expression"][:120]
        licence = choice.get("license") or {}
        if licence.get("id") or licence.get("name"):
            return (licence.get("id") or licence.get("name"))[:120]
    return ""


def _walk(components):
    for component in components or ():
        yield component
        yield from _walk(component.get("components"))


def bom_plan(document: dict) -> Plan:
    """What the BOM holds, as components to create or update (no database reads)."""
    plan = Plan(serial=document["serialNumber"], spec_version=document["specVersion"])
    suppliers: dict[str, Planned] = {}
    training_refs = set()
    for component in _walk(document.get("components")):
        for dataset in ((component.get("modelCard") or {}).get("modelParameters") or {}).get(
            "datasets"
        ) or ():
            if "ref" in dataset:
                training_refs.add(dataset["ref"])
    for index, component in enumerate(_walk(document.get("components"))):
        kind = KINDS.get(component["type"])
        if kind is None:
            plan.skipped[component["type"]] = plan.skipped.get(component["type"], 0) + 1
            continue
        ref = component.get("bom-ref") or f"#{index}:{component['name']}"
        values = {
            "kind": kind,
            "name": component["name"][:200],
            "version": (component.get("version") or "")[:60],
            "description": component.get("description") or "",
            "licence": _licence(component),
            "model_card": component.get("modelCard") or {} if kind == ComponentKind.MODEL else {},
            "source": "",
            "personal_data": None,
        }
        if kind == ComponentKind.DATASET:
            data = component.get("data") or ()
            urls = [(d.get("contents") or {}).get("url") for d in data]
            values["source"] = next((u for u in urls if u), "")[:300]
            if data:
                values["personal_data"] = any(d.get("sensitiveData") for d in data)
        supplier = component.get("supplier") or component.get("manufacturer") or {}
        supplier_ref = ""
        if supplier.get("name"):
            supplier_ref = f"supplier:{supplier['name']}"[:300]
            suppliers.setdefault(
                supplier_ref,
                Planned(
                    bom_ref=supplier_ref,
                    kind=ComponentKind.VENDOR,
                    values={"kind": ComponentKind.VENDOR, "name": supplier["name"][:200]},
                    role=LinkRole.PROVIDER,
                ),
            )
        role = (
            LinkRole.PRODUCTION_MODEL
            if kind == ComponentKind.MODEL
            else LinkRole.TRAINING_DATA
            if ref in training_refs
            else LinkRole.INPUT_DATA
        )
        plan.items.append(Planned(ref, kind, values, supplier_ref, role))
    plan.items[:0] = list(suppliers.values())
    return plan


def _match(plan: Plan) -> None:
    """Decide create, update or unchanged against what an earlier import left (1 query, the
    suppliers joined)."""
    existing = {
        c.bom_ref: c
        for c in Component.objects.filter(bom_serial=plan.serial)
        .exclude(bom_ref="")
        .select_related("vendor")
    }
    for item in plan.items:
        found = existing.get(item.bom_ref)
        item.component = found
        if found is None:
            item.action = "create"
        elif any(getattr(found, name) != value for name, value in item.values.items()) or (
            item.supplier_ref
            and (found.vendor is None or found.vendor.bom_ref != item.supplier_ref)
        ):
            item.action = "update"
        else:
            item.action = "unchanged"


def bom_import(*, raw: bytes | str, actor, use_case=None, dry_run: bool = False) -> dict:
    """Check the BOM and, unless ``dry_run``, create or update its components and link them
    to ``use_case`` (all of it, or nothing)."""
    bom_import_allowed(actor, use_case)
    return bom_document_import(
        document=bom_parse(raw), actor=actor, use_case=use_case, dry_run=dry_run
    )


def bom_import_allowed(actor, use_case=None) -> None:
    """Refuse (PermissionDenied) a person who may not import BOMs, or link to ``use_case``."""
    if actor is not None and not rules.has_perm("components.add_component", actor):
        raise PermissionDenied(_("Only administrators and department heads import BOMs."))
    if (
        use_case is not None
        and actor is not None
        and not rules.has_perm("components.link_use_case", actor, use_case)
    ):
        raise PermissionDenied(_("Only those who manage the use case link components to it."))


def bom_document_import(*, document: dict, actor, use_case=None, dry_run: bool = False) -> dict:
    """The import of a BOM ``bom_parse`` accepted (the part after the schema validation)."""
    plan = bom_plan(document)
    with transaction.atomic():
        _match(plan)
        links = _links_to_add(plan, use_case)
        if dry_run:
            return plan.report(dry_run=True, links=len(links))
        _apply(plan, actor=actor, use_case=use_case)
    return plan.report(dry_run=False, links=len(links))


def _links_to_add(plan: Plan, use_case) -> list[tuple[str, str]]:
    if use_case is None:
        return []
    have = set(
        ComponentLink.objects.filter(
            use_case=use_case, component__bom_serial=plan.serial
        ).values_list("component__bom_ref", "role")
    )
    return [(i.bom_ref, i.role) for i in plan.items if (i.bom_ref, i.role) not in have]


def _apply(plan: Plan, *, actor, use_case) -> None:
    user = actor if getattr(actor, "pk", None) else None
    by_ref: dict[str, Component] = {}
    creates, updates = [], []
    for item in plan.items:
        if item.action == "create":
            component = Component(
                bom_serial=plan.serial, bom_ref=item.bom_ref, owner=user, **item.values
            )
            creates.append(component)
        else:
            component = item.component
            if item.action == "update":
                for name, value in item.values.items():
                    setattr(component, name, value)
                updates.append(component)
        by_ref[item.bom_ref] = component
    manager = Component.objects.noting(user=user, reason=f"CycloneDX import {plan.serial}"[:100])
    vendors_first = [c for c in creates if c.kind == ComponentKind.VENDOR]
    manager.bulk_create(vendors_first)
    for item in plan.items:
        if item.supplier_ref:
            by_ref[item.bom_ref].vendor = by_ref[item.supplier_ref]
    manager.bulk_create([c for c in creates if c.kind != ComponentKind.VENDOR], batch_size=500)
    if updates:
        manager.bulk_update(updates, [*IMPORTED, "vendor"], batch_size=500)
    if use_case is not None:
        add = _links_to_add(plan, use_case)
        roles = {i.bom_ref: i.role for i in plan.items}
        ComponentLink.objects.noting(user=user, reason="CycloneDX import").bulk_create(
            [
                ComponentLink(
                    use_case=use_case, component=by_ref[ref], role=roles[ref], created_by=user
                )
                for ref, _ in add
            ],
            batch_size=500,
        )
