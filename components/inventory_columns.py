"""A use case's models, datasets, vendors and agents as columns of the inventory's import and
export (registered in core.columns from ready(); the inventory knows nothing of this app).

A cell lists names separated by ``;``, each with its version in brackets where it has one
(``credit-risk-gbm (1.2); fraud-rules``). The export writes every component linked to the
use case, whatever the link's role. The import finds each by kind and name (ignoring case)
and version, creates the ones that do not exist, and links them in the kind's usual role
(model in production, input data, provider, agent) unless the use case already uses them in
some role; it never removes a link (that is done in Flywheel). A name that matches several
versions without naming one is an error of that row.
"""

import re
from collections import defaultdict

from django.db.models.functions import Lower

from components.choices import ComponentKind, LinkRole
from components.models import Component, ComponentLink
from core.columns import ColumnPlan, ColumnSet, ExtraColumn, UseCaseCells

_HELP = "names separated by ; with the version in brackets where there is one"
COLUMNS = (
    ExtraColumn("models", "Models", _HELP, ("ai models", "ml models", "model names")),
    ExtraColumn("datasets", "Datasets", _HELP, ("data sets", "dataset names")),
    ExtraColumn("vendors", "Vendors", _HELP, ("ai vendors", "suppliers", "providers")),
    ExtraColumn("agents", "Agents", _HELP, ("ai agents", "agent names")),
)
KIND_OF = {
    "models": ComponentKind.MODEL,
    "datasets": ComponentKind.DATASET,
    "vendors": ComponentKind.VENDOR,
    "agents": ComponentKind.AGENT,
}
KEY_OF = {kind: key for key, kind in KIND_OF.items()}
ROLE_OF = {
    ComponentKind.MODEL: LinkRole.PRODUCTION_MODEL,
    ComponentKind.DATASET: LinkRole.INPUT_DATA,
    ComponentKind.VENDOR: LinkRole.PROVIDER,
    ComponentKind.AGENT: LinkRole.AGENT,
}
_VERSIONED = re.compile(r"^(?P<name>.*?)\s*\((?P<version>[^()]*)\)$")
CHUNK = 900  # SQLite's limit on bound parameters


def label(component: Component) -> str:
    """A component as a cell names it."""
    return f"{component.name} ({component.version})" if component.version else component.name


def cell_items(value) -> list[tuple[str, str | None]]:
    """(name, version or None) of each item of a cell; ValueError naming what is wrong."""
    items = []
    for part in re.split(r"[;\n]", "" if value is None else str(value)):
        part = part.strip()
        if not part:
            continue
        found = _VERSIONED.match(part)
        name, version = (found["name"], found["version"].strip()) if found else (part, None)
        if not name:
            raise ValueError(f"'{part}' has a version but no name.")
        if len(name) > 200 or (version and len(version) > 60):
            raise ValueError(f"'{part[:60]}': a name has at most 200 characters, a version 60.")
        items.append((name, version))
    return items


def columns_export(use_case_ids: list[int]) -> dict[int, dict[str, str]]:
    """{use case id: {column key: cell}} of the components linked to them (one query per
    chunk of use cases)."""
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for start in range(0, len(use_case_ids), CHUNK):
        links = (
            ComponentLink.objects.filter(use_case_id__in=use_case_ids[start : start + CHUNK])
            .select_related("component")
            .order_by("component__kind", "component__name", "component__version", "id")
        )
        for link in links:
            cell = names[link.use_case_id][KEY_OF[link.component.kind]]
            if label(link.component) not in cell:
                cell.append(label(link.component))
    return {
        use_case_id: {key: "; ".join(cell) for key, cell in cells.items()}
        for use_case_id, cells in names.items()
    }


def _existing(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[Component]]:
    """The components of the kinds and names (folded) the file names (a query per chunk)."""
    found = defaultdict(list)
    names = sorted({name for _, name in wanted})
    for start in range(0, len(names), CHUNK):
        for component in Component.objects.annotate(folded=Lower("name")).filter(
            folded__in=names[start : start + CHUNK]
        ):
            if (component.kind, component.folded) in wanted:
                found[(component.kind, component.folded)].append(component)
    return found


def columns_plan(rows: list[UseCaseCells]) -> ColumnPlan:
    """Which components each row names, the ones to create and the links to add."""
    plan = ColumnPlan(work={"create": {}, "links": []})
    parsed = []
    for row in rows:
        for key, value in row.cells.items():
            try:
                parsed.append((row, key, cell_items(value)))
            except ValueError as exc:
                plan.errors.append((row.row, key, str(exc)))
    existing = _existing(
        {(KIND_OF[key], n.casefold()) for _, key, items in parsed for n, _ in items}
    )
    known_ids = [row.use_case.pk for row in rows if row.use_case is not None]
    linked = set()
    for start in range(0, len(known_ids), CHUNK):
        linked |= set(
            ComponentLink.objects.filter(
                use_case_id__in=known_ids[start : start + CHUNK]
            ).values_list("use_case_id", "component_id")
        )
    create, links, found_count = plan.work["create"], plan.work["links"], set()
    planned = set()
    for row, key, items in parsed:
        kind = KIND_OF[key]
        for name, version in items:
            candidates = existing.get((kind, name.casefold()), [])
            if version is not None:
                candidates = [c for c in candidates if c.version == version]
            if len(candidates) > 1:
                versions = ", ".join(sorted(label(c) for c in candidates))
                plan.errors.append(
                    (row.row, key, f"'{name}' names several {kind}s: {versions}; name one.")
                )
                continue
            if candidates:
                component = candidates[0]
                found_count.add(component.pk)
                if row.use_case is not None and (row.use_case.pk, component.pk) in linked:
                    continue
                target = component.pk
            else:
                target = (kind, name.casefold(), version or "")
                create.setdefault(target, (kind, name, version or ""))
            if (row.reference, target) not in planned:
                planned.add((row.reference, target))
                links.append((row.reference, target, ROLE_OF[kind]))
    plan.summary = {
        "components_to_create": len(create),
        "components_found": len(found_count),
        "links_to_add": len(links),
    }
    return plan


def columns_apply(plan: ColumnPlan, use_case_of, actor) -> None:
    """Create the planned components and links, in bulk, with the history saying why."""
    user = actor if getattr(actor, "pk", None) else None
    creates = {
        target: Component(kind=kind, name=name, version=version, owner=user)
        for target, (kind, name, version) in plan.work["create"].items()
    }
    Component.objects.noting(user=user, reason="inventory import").bulk_create(
        list(creates.values()), batch_size=500
    )
    ComponentLink.objects.noting(user=user, reason="inventory import").bulk_create(
        [
            ComponentLink(
                use_case=use_case_of(reference),
                component_id=creates[target].pk if target in creates else target,
                role=role,
                created_by=user,
            )
            for reference, target, role in plan.work["links"]
        ],
        batch_size=500,
    )


COLUMN_SET = ColumnSet(
    name="components",
    columns=COLUMNS,
    export=columns_export,
    plan=columns_plan,
    apply=columns_apply,
)
