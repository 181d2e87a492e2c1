"""The cases app's own panels on the case page: the application file and the document review."""

from kompeten.cases import services
from kompeten.cases.access import can_see_documents
from kompeten.cases.models import Application, SelfAssessmentAnswer


def application_panel(case, user):
    """APL.01 / APL.02 / documents: links to fill them (candidate, while editable) or to read and print."""
    if not can_see_documents(user, case):
        return None
    app = Application.objects.filter(case=case).first()
    docs = list(services.current_documents(case))
    answered = SelfAssessmentAnswer.objects.filter(case=case).exclude(answer="").count()
    elements = len(services.scheme_elements(case.scheme))
    return {
        "case": case, "app": app, "documents": docs, "answered": answered, "elements": elements,
        "is_candidate": case.candidate_id == user.pk,
        "editable": case.candidate_id == user.pk and case.status in services.EDITABLE_STATUSES,
        "missing": services.missing_items(case) if case.status in services.EDITABLE_STATUSES
        and case.candidate_id == user.pk else [],
    }


def review_panel(case, user):
    """The latest S2.1 document review: for a returned file, exactly the items the candidate must fix."""
    if not can_see_documents(user, case):
        return None
    review = services.latest_review(case)
    if review is None:
        return None
    return {"case": case, "review": review, "to_fix": review.items_to_fix(),
            "count": case.document_reviews.count()}
