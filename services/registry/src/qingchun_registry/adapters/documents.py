"""How domain values are kept in documents (dates as ISO strings, enums as codes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from qingchun_plumbing.mongo import Document
from qingchun_registry.domain.creation import Creation, CreationStage, Survey, SurveyItem
from qingchun_registry.domain.organizations import AreaPath
from qingchun_registry.domain.terms import Term
from qingchun_registry.domain.youth_centers import BuildMode, CenterProfile, OperatingModel, OrgForm


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def area_doc(area: AreaPath) -> Document:
    return {"city": area.city, "district": area.district, "street": area.street, "community": area.community}


def area_from(doc: Document | None) -> AreaPath:
    doc = doc or {}
    return AreaPath(doc.get("city"), doc.get("district"), doc.get("street"), doc.get("community"))


def survey_doc(survey: Survey) -> Document:
    return {
        "checked": [item.value for item in SurveyItem if item in survey.checked],
        "youth_count": survey.youth_count,
        "hardship_household_count": survey.hardship_household_count,
        "dropout_youth_count": survey.dropout_youth_count,
        "unemployed_youth_count": survey.unemployed_youth_count,
        "juvenile_offence_count": survey.juvenile_offence_count,
        "volunteer_project_count": survey.volunteer_project_count,
    }


def survey_from(doc: Document) -> Survey:
    counts = {k: v for k, v in doc.items() if k != "checked"}
    return Survey(checked=frozenset(SurveyItem(c) for c in doc.get("checked", [])), **counts)


def creation_doc(creation: Creation) -> Document:
    return {
        "stage": creation.stage.value,
        "batch": creation.batch,
        "plan_title": creation.plan_title,
        "survey": survey_doc(creation.survey) if creation.survey else None,
        "is_demonstration": creation.is_demonstration,
    }


def creation_from(doc: Document) -> Creation:
    survey = doc.get("survey")
    return Creation(
        stage=CreationStage(doc["stage"]),
        batch=doc.get("batch"),
        plan_title=doc.get("plan_title"),
        survey=survey_from(survey) if survey else None,
        is_demonstration=bool(doc.get("is_demonstration")),
    )


def term_doc(term: Term) -> Document:
    return {"start": term.start.isoformat(), "years": term.years, "end": term.end.isoformat()}


def term_from(doc: Document | None) -> Term | None:
    if not doc:
        return None
    return Term(start=date.fromisoformat(doc["start"]), years=int(doc["years"]))


def profile_doc(profile: CenterProfile) -> Document:
    return {
        "build_mode": profile.build_mode.value if profile.build_mode else None,
        "indoor_area_m2": profile.indoor_area_m2,
        "full_time_staff_count": profile.full_time_staff_count,
        "org_form": profile.org_form.value if profile.org_form else None,
        "projects": list(profile.projects),
        "operating_models": sorted(m.value for m in profile.operating_models),
        "plaque_installed": profile.plaque_installed,
    }


def profile_from(doc: Document | None) -> CenterProfile:
    doc = doc or {}
    return CenterProfile(
        build_mode=BuildMode(doc["build_mode"]) if doc.get("build_mode") else None,
        indoor_area_m2=doc.get("indoor_area_m2"),
        full_time_staff_count=int(doc.get("full_time_staff_count", 0)),
        org_form=OrgForm(doc["org_form"]) if doc.get("org_form") else None,
        projects=tuple(doc.get("projects", ())),
        operating_models=frozenset(OperatingModel(m) for m in doc.get("operating_models", ())),
        plaque_installed=bool(doc.get("plaque_installed")),
    )


def dates_in(values: dict[str, Any]) -> dict[str, Any]:
    """Dates of a command dumped for storage, as ISO strings."""
    return {k: iso(v) if isinstance(v, date) else v for k, v in values.items()}
