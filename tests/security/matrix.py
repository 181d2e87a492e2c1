"""The permission matrix (issue 12): for every URL name of the app, the object its URL takes and, for each role and
relation (tests/security/world.py: COLUMNS), what a GET answers. Tested in full by tests/security/test_matrix.py;
a URL without a row here fails that test.

Object: None (no argument), "case:<status>" (candidate A's case at that status), "event:<status>", or a named
object of the world (see test_matrix.kwargs_for). Outcomes: 200, 403, 404, 405 (POST only), 409 (the document
does not exist yet: access granted, nothing to show), 302 (sent elsewhere: a logged-in person on the log-in
page, a notice opening its page), LOGIN (302 to the log-in page). "*" is every column not named.

Columns: anon · cand / cand_other (the case's candidate / another) · asr / asr_other (the assessor assigned to the
case and event / another) · lead · admin · tuk / tuk_other (head of the case's TUK / of another) · com / com_asr
(a committee member / one who assessed the case) · head (Ketua LSP).
"""

LOGIN = "login"

ROWS = {
    "home": (None, {"*": 200}),
    "inbox": (None, {"*": 200, "anon": LOGIN}),
    "dashboard": (None, {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "com": 200, "com_asr": 200,
                         "head": 200}),
    "dashboard_export": ("export_candidates", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "open_notification": ("notification", {"*": 404, "anon": LOGIN, "cand": 302}),
    "login": (None, {"*": 302, "anon": 200}),
    "logout": (None, {"*": 405}),
    "mfa_setup": (None, {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "com": 200, "com_asr": 200,
                         "head": 200}),
    "mfa_verify": (None, {"*": 302, "anon": LOGIN}),
    "register": (None, {"*": 302, "anon": 200}),
    "lsp_profile": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "users": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "user_roles": ("assessor_user", {"*": 403, "anon": LOGIN, "admin": 200}),
    "lsp_logo": (None, {"*": 404}),
    "password_reset": (None, {"*": 200}),
    "password_reset_done": (None, {"*": 200}),
    "password_reset_confirm": ("reset_token", {"*": 200}),
    "password_reset_complete": (None, {"*": 200}),
    "catalog:list": (None, {"*": 200}),
    "catalog:manage": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "catalog:create": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "catalog:upload": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "catalog:edit": ("scheme", {"*": 403, "anon": LOGIN, "admin": 200}),
    "catalog:file": ("scheme", {"*": 403, "anon": LOGIN, "admin": 200}),
    "catalog:scheme": ("scheme", {"*": 200}),
    "cases:list": (None, {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403}),
    "cases:mine": (None, {"*": 200, "anon": LOGIN}),
    "cases:my_data_json": (None, {"*": 200, "anon": LOGIN}),
    "cases:my_data_zip": (None, {"*": 200, "anon": LOGIN}),
    "cases:erasure": (None, {"*": 200, "anon": LOGIN}),
    "cases:erasure_requests": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "cases:start": ("scheme", {"*": 200, "anon": LOGIN}),
    "cases:detail": ("case:submitted", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403}),
    "cases:apl01": ("case:draft", {"*": 403, "anon": LOGIN, "cand": 200}),
    "cases:apl02": ("case:draft", {"*": 403, "anon": LOGIN, "cand": 200}),
    "cases:documents": ("case:draft", {"*": 403, "anon": LOGIN, "cand": 200}),
    "cases:submit": ("case:draft", {"*": 403, "anon": LOGIN, "cand": 200}),
    "cases:withdraw": ("case:submitted", {"*": 403, "anon": LOGIN, "cand": 200}),
    "cases:review": ("case:submitted", {"*": 403, "anon": LOGIN, "admin": 200}),
    "cases:apl01_pdf": ("case:submitted", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "lead": 403, "tuk_other": 403}),
    "cases:apl02_pdf": ("case:submitted", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "lead": 403, "tuk_other": 403}),
    "cases:document_file": ("document", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "lead": 403, "tuk_other": 403}),
    "cases:replace_document": ("document_draft", {"*": 405, "anon": LOGIN}),
    "events:list": (None, {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403}),
    "events:create": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:load": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "events:detail": ("event:draft", {
        "*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk_other": 403}),
    "events:feasibility": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:designate_site": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:assign_assessor": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:publish": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:hold": ("event:published", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "events:close": ("event:held", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:cancel": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:declare_conflict": ("event:published", {"*": 403, "anon": LOGIN, "asr": 200}),
    "events:letter": ("assignment", {
        "*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk": 403, "tuk_other": 403}),
    "events:schedule_case": ("case:accepted", {"*": 403, "anon": LOGIN, "admin": 200}),
    "events:import": ("event:draft", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "events:import_detail": ("candidate_import", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "events:import_progress": ("candidate_import", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "events:import_report": ("candidate_import", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "events:import_template": ("import_format", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200, "tuk_other": 200}),
    "events:confirm": ("case:scheduled", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:reports": (None, {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403}),
    "assessment:submit_plan": ("event:published", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:plan_review": ("event:published", {
        "*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk_other": 403}),
    "assessment:check_resources": ("event:published", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "assessment:check_in_list": ("event:held", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "assessment:mapa01_pdf": ("event:published", {
        "*": 409, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk_other": 403}),
    "assessment:mapa02_pdf": ("event:published", {
        "*": 409, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk_other": 403}),
    "assessment:event_ak05_pdf": ("event_ak05", {
        "*": 409, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "lead": 403, "tuk_other": 403}),
    "assessment:consultation": ("case:confirmed", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:sign_agreement": ("case:confirmed", {"*": 403, "anon": LOGIN, "cand": 200, "asr": 200}),
    "assessment:adjustment": ("case:confirmed", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:apl02_review": ("case:agreed", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:check_in": ("case:ready", {"*": 403, "anon": LOGIN, "admin": 200, "tuk": 200}),
    "assessment:record_assessment": ("case:in_assessment", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:feedback": ("case:assessed", {"*": 403, "anon": LOGIN, "cand": 200, "asr": 200}),
    "assessment:review": ("case:assessed", {"*": 403, "anon": LOGIN, "asr": 200, "lead": 200}),
    "assessment:report": ("case:reviewed", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:forward_report": ("case:reported", {"*": 403, "anon": LOGIN, "tuk": 200}),
    "assessment:ak01_pdf": ("case:ready", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak02_pdf": ("case:assessed", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak03_pdf": ("case:reviewed", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak05_pdf": ("case:reported", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak06_pdf": ("case:reported", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak07_pdf": ("case:ready", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "certification:decide": ("case:awaiting_decision", {"*": 403, "anon": LOGIN, "com": 200}),
    "certification:agreement": ("case:competent", {
        "*": 403, "anon": LOGIN, "cand": 200, "admin": 200, "com": 200, "head": 200}),
    "certification:issue": ("case:competent", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:enrol": ("case:certified", {"*": 403, "anon": LOGIN, "admin": 200}),
    "certification:certificate_pdf": ("certificate", {
        "*": 403, "anon": LOGIN, "cand": 200, "admin": 200, "com": 200, "head": 200}),
    "certification:surveillance": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:verify_form": (None, {"*": 200}),
    "certification:verify_json": ("public_id", {"*": 200}),
    "certification:credential": ("public_id", {"*": 200}),
    "certification:status_list": ("status_list", {"*": 200}),
    "certification:verify": ("public_id", {"*": 200}),
    "appeals:list": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "appeals:mine": (None, {"*": 200, "anon": LOGIN}),
    "appeals:complaint_new": (None, {"*": 200}),
    "appeals:complaint_sent": (None, {"*": 302}),
    "appeals:appeal_new": ("case:not_competent", {"*": 403, "anon": LOGIN, "cand": 200}),
    "appeals:detail": ("appeal", {"*": 404, "anon": LOGIN, "cand": 200, "admin": 200, "head": 200}),
    "appeals:pdf": ("appeal", {"*": 404, "anon": LOGIN, "cand": 200, "admin": 200, "head": 200}),
    "appeals:act": ("appeal_act", {"*": 405, "anon": LOGIN}),
    "appeals:document": ("appeal_document", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "people:assessors": (None, {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "head": 200}),
    "people:assessor_create": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "people:assessor_detail": ("assessor", {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "head": 200}),
    "people:assessor_edit": ("assessor", {"*": 403, "anon": LOGIN, "admin": 200}),
    "people:assessor_invite": ("assessor", {"*": 405, "anon": LOGIN}),
    "sites:list": (None, {
        "*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "tuk": 200, "tuk_other": 200, "head": 200}),
    "sites:create": (None, {"*": 403, "anon": LOGIN, "admin": 200}),
    "sites:detail": ("site", {
        "*": 403, "anon": LOGIN, "lead": 200, "admin": 200, "tuk": 200, "tuk_other": 404, "head": 200}),
    "sites:edit": ("site", {"*": 403, "anon": LOGIN, "admin": 200}),
    "sites:verify": ("site", {"*": 403, "anon": LOGIN, "admin": 200}),
    "did_document": (None, {"*": 200}),
    "health": (None, {"*": 200}),
    "assessment:day": ("case:in_assessment", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:fill_instrument": ("fill_instrument", {"*": 403, "anon": LOGIN, "asr": 200}),
    # GET sends back to the assessment day page (which refuses whoever is not the case's assessor).
    "assessment:save_item": ("case:in_assessment", {"*": 302, "anon": LOGIN}),
    "assessment:correct_assessment": ("case:assessed", {"*": 403, "anon": LOGIN, "asr": 200}),
    "assessment:ak02_version_pdf": ("ak02_version", {
        "*": 200, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "assessment:ak07_version_pdf": ("ak07_version", {
        "*": 409, "anon": LOGIN, "cand_other": 403, "asr_other": 403, "tuk_other": 403, "com_asr": 403}),
    "apitokens:list": (None, {"*": 200, "anon": LOGIN}),
    "apitokens:revoke": ("api_token", {"*": 405, "anon": LOGIN}),
    "assessment:instruments": (None, {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    "assessment:scheme_instruments": ("scheme_pk", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    "assessment:instrument_version": ("instrument_version", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    "assessment:instrument_item_add": ("instrument_version", {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200}),
    "assessment:instrument_item": ("instrument_item", {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200}),
    "assessment:instrument_validate": ("instrument_version", {"*": 403, "anon": LOGIN, "lead": 200, "admin": 200}),
    "assessment:instrument_va_pdf": ("instrument_version", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    "assessment:instrument_key_pdf": ("instrument_version", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    # The instrument's blank form / question sheet (FR.IA.05A): staff only, as the other MUK pages.
    "assessment:instrument_pdf": ("instrument_version", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "tuk": 403, "tuk_other": 403}),
    # A candidate's filled IA form per round, here the IA.05 answer sheet (FR.IA.05C): the candidate (their own
    # answers, no key), the case's assessor and the LSP staff who oversee or decide it; not a TUK head, not a
    # committee member who assessed the case.
    "assessment:case_instrument_pdf": ("case_instrument", {
        "*": 403, "anon": LOGIN, "cand": 200, "asr": 200, "lead": 200, "admin": 200, "com": 200, "head": 200}),
    "assessment:written_take": ("case:in_assessment", {"*": 403, "anon": LOGIN, "cand": 200, "asr": 302, "lead": 302, "admin": 302}),
    # sessionless (core.sessionless): authenticated by the test page's token, not by the login: GET 405 for anyone
    "assessment:written_answer": ("case:in_assessment", {"*": 405}),
    "assessment:written_submit": ("case:in_assessment", {"*": 405, "anon": LOGIN}),
    "assessment:written_mark": ("case:in_assessment", {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "asr_other": 403, "tuk": 403, "tuk_other": 403, "com_asr": 403}),
    "certification:blanko_layouts": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:blanko_layout_edit": ("blanko_scheme", {"*": 403, "anon": LOGIN, "admin": 200}),
    "certification:change_status": ("cert_suspend", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:blanko_requests": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:blanko_request": ("closed_meeting", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:blanko_package": ("closed_meeting", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:blanko_return_sheet": ("closed_meeting", {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:meetings": (None, {"*": 403, "anon": LOGIN, "admin": 200, "com": 200, "com_asr": 200, "head": 200}),
    "certification:meeting_new": (None, {"*": 403, "anon": LOGIN, "com": 200, "com_asr": 200}),
    "certification:meeting": ("meeting", {"*": 403, "anon": LOGIN, "admin": 200, "com": 200, "com_asr": 200, "head": 200}),
    "certification:meeting_attendance": ("meeting", {"*": 405, "anon": LOGIN}),
    "certification:meeting_decide": ("meeting_case", {"*": 405, "anon": LOGIN}),
    "certification:meeting_close": ("meeting", {"*": 405, "anon": LOGIN}),
    "certification:meeting_sk": ("meeting", {"*": 403, "anon": LOGIN, "admin": 409, "com": 409, "com_asr": 409, "head": 409}),
    "certification:meeting_minutes": ("meeting", {"*": 403, "anon": LOGIN, "admin": 409, "com": 409, "com_asr": 409, "head": 409}),
    "certification:meeting_issue": ("meeting", {"*": 405, "anon": LOGIN}),
    "certification:public_register": (None, {"*": 200}),
    "certification:recertify": ("holder_cert", {"*": 403, "anon": LOGIN, "cand": 200}),
    "certification:register": (None, {"*": 403, "anon": LOGIN, "admin": 200, "head": 200}),
    "certification:surveillance_checks": (None, {"*": 200, "anon": LOGIN, "cand": 403, "cand_other": 403, "lead": 403, "tuk": 403, "tuk_other": 403}),
    "certification:surveillance_check": ("surveillance_check", {"*": 200, "anon": LOGIN, "cand_other": 403, "lead": 403, "tuk": 403, "tuk_other": 403}),
    "certification:surveillance_file": ("surveillance_file", {"*": 200, "anon": LOGIN, "cand_other": 403, "lead": 403, "tuk": 403, "tuk_other": 403}),
    "job": ("job", {"*": 403, "anon": LOGIN, "admin": 200}),
    "job_progress": ("job", {"*": 403, "anon": LOGIN, "admin": 200}),
}

# Unnamed routes (by their route): the favicon, the DID document's second address and the REST API's catch-all
# (anything else under /api/ answers a 404 problem document; the API is tested in tests/api).
UNNAMED = ["favicon.ico", "did.json", "^api/"]

# Acts whose form has no required field: a POST without data is the act itself (confirming, closing), done only
# by the roles the row lets in; on every other page a POST without data must change nothing.
ACT_WITHOUT_FIELDS = {"cases:submit", "assessment:apl02_review", "certification:enrol", "events:close"}

# POST-only acts without a field (GET 405 for everyone): the POST without data is the act for the columns named
# (the candidate hands in their written test, revokes their own API token); for every other column it must
# change nothing.
ACT_BY_POST = {"assessment:written_submit": {"cand"}, "apitokens:revoke": {"cand"}}
