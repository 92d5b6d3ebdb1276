"""The audit log: append-only events, one per change made through the services and views,
read by the provider's admins and the customer's members only."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance import services as compliance_services
from compliance.services import reports
from compliance.services.evaluations import evaluation_run
from contracts import services
from contracts.contract_files.parse import parse_contract_file
from contracts.models import SYSTEM_ACTOR, AuditAction, AuditAppendOnly, AuditEvent, Membership, Organisation
from contracts.selectors.tenancy import audit_events_for_user
from contracts.services import signing
from contracts.services.imports import PartyChoice, contract_import
from contracts.texts.wording import format_datetime
from tests import factories
from tests.compliance.compliance_fixtures import PERIOD, published_contract, record_month
from tests.compliance.event_fixtures import incident_csv, incident_row, with_terms
from tests.compliance.report_support import (
    active_contract_fixture,  # noqa: F401 - fixture
    report_key_files_fixture,  # noqa: F401 - fixture
    report_settings_fixture,  # noqa: F401 - fixture
)
from tests.contracts.signing_support import (  # noqa: F401 - fixtures
    fast_document,
    sealing_key_files,
    send,
    sign,
    signing_settings,
)

pytestmark = pytest.mark.django_db


def actions(contract) -> list[str]:
    """The contract's logged actions, oldest first."""
    return list(AuditEvent.objects.filter(contract=contract).order_by("id").values_list("action", flat=True))


def last(contract, action) -> AuditEvent:
    return AuditEvent.objects.filter(contract=contract, action=action).order_by("-id").first()


def activity_url(contract) -> str:
    return reverse("contracts:contract_activity", kwargs={"reference": contract.reference})


# ---------------------------------------------------------------- the model


def test_an_event_cannot_change_or_be_deleted(tenants):
    event = last(tenants.contract, AuditAction.CONTRACT_CREATED)
    event.summary = "Nothing happened"
    with pytest.raises(AuditAppendOnly):
        event.save()
    with pytest.raises(AuditAppendOnly):
        event.delete()
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="Nothing happened")
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditAppendOnly):
        AuditEvent.objects.bulk_update([event], ["summary"])
    event.refresh_from_db()
    assert event.summary.startswith("Created contract")


def test_the_actors_name_outlives_the_user(tenants):
    person = factories.user("leaver@brightline.example", first_name="Lee")
    Membership.objects.create(user=person, organisation=tenants.provider, role="admin")
    contract = factories.contract(tenants.provider, tenants.customer, created_by=person)
    person.delete()
    event = last(contract, AuditAction.CONTRACT_CREATED)
    assert (event.actor, event.actor_name, event.organisation) == (None, "Lee", tenants.provider)


def test_the_admin_shows_events_read_only(tenants, client):
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    event = last(tenants.contract, AuditAction.CONTRACT_CREATED)
    assert client.get(reverse("admin:contracts_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:contracts_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(reverse("admin:contracts_auditevent_delete", args=[event.pk])).status_code == 403


# ---------------------------------------------------------------- what is recorded


def test_creating_a_contract_is_recorded_with_its_author(tenants):
    contract = factories.contract(
        tenants.provider, tenants.customer, title="Backups", created_by=tenants.provider_author
    )
    event = last(contract, AuditAction.CONTRACT_CREATED)
    assert event.actor == tenants.provider_author
    assert event.organisation == tenants.provider
    assert event.summary == f"Created contract {contract.reference} “Backups”"


def test_a_contract_made_by_background_work_names_the_portal(tenants):
    event = last(tenants.contract, AuditAction.CONTRACT_CREATED)
    assert (event.actor, event.actor_name, event.organisation) == (None, SYSTEM_ACTOR, None)


def test_terms_edits_through_the_terms_page_are_recorded(tenants, client_for):
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    level = draft.service_levels.get(key="availability")
    client = client_for(tenants.provider_author)
    url = reverse(
        "contracts:terms_level_update",
        kwargs={"reference": tenants.contract.reference, "number": draft.number, "level_id": level.pk},
    )
    data = {
        "key": level.key,
        "name": "Email availability",
        "metric": level.metric,
        "target": str(level.target_id),
        "calendar": str(level.calendar_id),
    }
    assert client.post(url, data).status_code == 302
    event = last(tenants.contract, AuditAction.TERMS_EDITED)
    assert event.summary == "Service level Email availability saved (version 1)"
    assert (event.actor, event.details) == (tenants.provider_author, {"version": 1})


def test_a_refused_terms_edit_records_nothing(tenants, client_for):
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    parameter = draft.parameters.get(name="uptime_target")
    url = reverse(
        "contracts:terms_parameter_delete",
        kwargs={
            "reference": tenants.contract.reference,
            "number": draft.number,
            "parameter_id": parameter.pk,
        },
    )
    assert client_for(tenants.provider_author).post(url).status_code == 400  # a service level uses it
    assert AuditAction.TERMS_EDITED not in actions(tenants.contract)


def test_clause_edits_in_the_editor_are_recorded(tenants, client_for):
    draft = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    clause = draft.clauses.first()
    url = reverse("contracts:editor_clause_save", args=[tenants.contract.reference, draft.number, clause.pk])
    data = {
        "heading": "Our promise",
        "key": clause.key,
        "legal_text": clause.legal_text,
        "plain_text": clause.plain_text,
    }
    assert client_for(tenants.provider_author).post(url, data).status_code == 302
    event = last(tenants.contract, AuditAction.CLAUSE_EDITED)
    assert event.summary == "Clause “Our promise” saved (version 1)"


def test_publishing_and_starting_the_next_draft_are_recorded(tenants):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=version, user=tenants.provider_admin)
    services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    published = last(tenants.contract, AuditAction.VERSION_PUBLISHED)
    assert (published.summary, published.actor) == ("Published version 1", tenants.provider_admin)
    started = last(tenants.contract, AuditAction.DRAFT_STARTED)
    assert started.summary == "Started draft version 2 from version 1"


@pytest.mark.usefixtures("signing_settings", "fast_document")
def test_sending_signing_and_activation_are_recorded(tenants):
    request = send(tenants)
    sign(request, tenants.customer_signer)
    sign(request, tenants.provider_admin)
    contract = tenants.contract
    assert actions(contract)[-5:] == [
        AuditAction.VERSION_PUBLISHED,
        AuditAction.SENT_FOR_SIGNATURE,
        AuditAction.SIGNED,
        AuditAction.SIGNED,
        AuditAction.CONTRACT_ACTIVATED,
    ]
    sent = last(contract, AuditAction.SENT_FOR_SIGNATURE)
    assert sent.summary.startswith("Sent version 1 for signature to sam@harbour.example (Harbour Dental)")
    customer_signature = AuditEvent.objects.filter(contract=contract, action=AuditAction.SIGNED).earliest(
        "id"
    )
    assert (customer_signature.actor, customer_signature.organisation) == (
        tenants.customer_signer,
        tenants.customer,
    )
    assert last(contract, AuditAction.CONTRACT_ACTIVATED).actor_name == SYSTEM_ACTOR


@pytest.mark.usefixtures("signing_settings", "fast_document")
def test_declining_and_withdrawing_are_recorded(tenants):
    request = send(tenants)
    signing.signature_decline(request=request, user=tenants.customer_signer, reason="Fee too high")
    declined = last(tenants.contract, AuditAction.DECLINED)
    assert declined.summary == "Declined to sign version 1 for Harbour Dental: Fee too high"
    assert declined.details["reason"] == "Fee too high"
    again = send(tenants, version=request.version)
    signing.signature_request_withdraw(request=again, user=tenants.provider_admin)
    assert last(tenants.contract, AuditAction.SIGNATURE_WITHDRAWN).actor == tenants.provider_admin


def test_importing_a_contract_file_signed_outside_the_portal_is_recorded(tenants, settings):
    text = (settings.BASE_DIR / "examples" / "contract.yaml").read_text()
    choice = PartyChoice(Organisation.objects.all(), create_missing=True)
    contract = contract_import(
        document=parse_contract_file(text),
        provider=choice,
        customer=choice,
        user=tenants.provider_admin,
        file_name="contract.yaml",
        signed_on=date(2026, 2, 1),
    )
    assert actions(contract) == [
        AuditAction.CONTRACT_CREATED,
        AuditAction.VERSION_PUBLISHED,
        AuditAction.CONTRACT_IMPORTED,
        AuditAction.CONTRACT_ACTIVATED,
    ]
    imported = last(contract, AuditAction.CONTRACT_IMPORTED)
    assert imported.summary == "Imported from contract.yaml, signed outside the portal on 2026-02-01"


def test_a_csv_import_of_many_rows_is_one_event(tenants, client_for):
    contract = with_terms(tenants)
    url = reverse("compliance:incident_import", kwargs={"reference": contract.reference})
    upload = SimpleUploadedFile("events.csv", incident_csv(500).encode(), "text/csv")
    assert client_for(tenants.provider_author).post(url, {"file": upload}).status_code == 302
    (event,) = AuditEvent.objects.filter(contract=contract, action=AuditAction.EVENTS_IMPORTED)
    assert event.summary == "Imported 500 incidents from a CSV file (500 new, 0 updated)"
    assert event.actor == tenants.provider_author


def test_an_api_batch_is_one_event_and_a_single_item_names_it(tenants):
    contract = with_terms(tenants)
    author = tenants.provider_author
    rows = [incident_row(n) for n in range(3)]
    compliance_services.events_upsert(kind="incidents", contract=contract, user=author, rows=rows)
    batch = last(contract, AuditAction.EVENTS_IMPORTED)
    assert batch.summary == "Imported 3 incidents from the API (3 new, 0 updated)"
    compliance_services.events_upsert(kind="incidents", contract=contract, user=author, rows=rows[:1])
    assert last(contract, AuditAction.EVENT_RECORDED).summary == "Changed incident INC-0 through the API"


def test_recording_and_changing_an_event_in_the_forms_is_recorded(tenants, client_for):
    contract = with_terms(tenants)
    data = {
        "external_id": "INC-7",
        "service": "Email",
        "priority": "P2",
        "opened_at": "2026-03-04T09:15",
        "first_response_at": "",
        "resolved_at": "",
        "cause": "provider",
        "responsibility": "",
        "summary": "Printer queue stuck",
    }
    url = reverse("compliance:incident_create", kwargs={"reference": contract.reference})
    assert client_for(tenants.provider_author).post(url, data).status_code == 302
    assert last(contract, AuditAction.EVENT_RECORDED).summary == "Recorded incident INC-7"


def test_a_stored_evaluation_is_recorded_once_per_revision(tenants):
    contract = published_contract(tenants)
    record_month(contract, tenants.provider_author)
    later = datetime(2026, 6, 1, tzinfo=UTC)
    evaluation_run(contract=contract, period=PERIOD, now=later)
    evaluation_run(contract=contract, period=PERIOD, now=later)  # same inputs: nothing new stored
    (event,) = AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED)
    assert (event.summary, event.actor_name) == ("Evaluated 2026-03 (revision 1)", SYSTEM_ACTOR)
    evaluation_run(contract=contract, period=(2026, 12), now=datetime(2026, 12, 2, tzinfo=UTC))
    assert AuditEvent.objects.filter(contract=contract, action=AuditAction.EVALUATED).count() == 1


def test_report_deliveries_sent_and_failed_are_recorded(
    active_contract, smtp_server, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_run_start(period=PERIOD)
    sent = AuditEvent.objects.filter(contract=active_contract, action=AuditAction.REPORT_SENT)
    assert sorted(e.summary for e in sent) == [
        "Report 2026-03 sent to alice@brightline.example",
        "Report 2026-03 sent to hannah@harbour.example",
    ]
    report = reports.Report.objects.get(contract=active_contract)
    delivery = reports.Delivery.objects.create(report=report, email="new@harbour.example")
    settings.EMAIL_PORT = 9  # nothing listens there
    assert reports.delivery_send(delivery_id=delivery.pk, final=True) == "failed"
    failed = last(active_contract, AuditAction.REPORT_FAILED)
    assert failed.summary.startswith("Report 2026-03 could not be sent to new@harbour.example: ")


# ---------------------------------------------------------------- who reads the log


def test_outsiders_and_provider_members_who_are_not_admins_get_404(tenants, client_for):
    url = activity_url(tenants.contract)
    for user in (tenants.outsider_admin, tenants.provider_author, tenants.provider_viewer):
        assert client_for(user).get(url).status_code == 404, user
    org_url = reverse("contracts:organisation_activity", kwargs={"slug": tenants.provider.slug})
    for user in (tenants.outsider_admin, tenants.provider_author, tenants.customer_admin):
        assert client_for(user).get(org_url).status_code == 404, user


def test_provider_admin_and_every_customer_member_read_the_contracts_log(tenants, client_for):
    for user in (tenants.provider_admin, tenants.customer_admin, tenants.customer_signer):
        response = client_for(user).get(activity_url(tenants.contract))
        assert response.status_code == 200, user
        assert f"Created contract {tenants.contract.reference}" in response.content.decode()
        detail = client_for(user).get(reverse("contracts:contract_detail", args=[tenants.contract.reference]))
        assert activity_url(tenants.contract) in detail.content.decode()
    detail = client_for(tenants.provider_author).get(
        reverse("contracts:contract_detail", args=[tenants.contract.reference])
    )
    assert activity_url(tenants.contract) not in detail.content.decode()


def test_a_customer_reads_only_its_own_contracts_events(tenants):
    other_customer = factories.organisation("Other Clinic")
    other = factories.contract(tenants.provider, other_customer, title="Other")
    visible = set(audit_events_for_user(tenants.customer_admin).values_list("contract_id", flat=True))
    assert visible == {tenants.contract.pk}
    provider_sees = set(audit_events_for_user(tenants.provider_admin).values_list("contract_id", flat=True))
    assert provider_sees == {tenants.contract.pk, other.pk}
    assert not audit_events_for_user(tenants.provider_author).exists()
    assert not audit_events_for_user(tenants.outsider_admin).filter(contract=tenants.contract).exists()


def test_the_customer_does_not_see_the_providers_work_on_drafts(tenants, client_for):
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.version_publish(version=version, user=tenants.provider_admin)
    draft = services.version_create_draft(contract=tenants.contract, user=tenants.provider_author)
    services.audit_draft_change(
        version=draft, user=tenants.provider_author, action=AuditAction.TERMS_EDITED, change="Fee raised."
    )
    customer = client_for(tenants.customer_admin).get(activity_url(tenants.contract)).content.decode()
    assert "Published version 1" in customer
    assert "Fee raised" not in customer and "Started draft version 2" not in customer
    provider = client_for(tenants.provider_admin).get(activity_url(tenants.contract)).content.decode()
    assert "Fee raised (version 2)" in provider and "Started draft version 2" in provider


def test_organisation_activity_lists_every_contract_for_its_admin(tenants, client_for):
    other = factories.contract(tenants.provider, factories.organisation("Other Clinic"), title="Other")
    url = reverse("contracts:organisation_activity", kwargs={"slug": tenants.provider.slug})
    body = client_for(tenants.provider_admin).get(url).content.decode()
    assert tenants.contract.reference in body and other.reference in body
    assert tenants.outsider_contract.reference not in body
    page = client_for(tenants.provider_admin).get(
        reverse("contracts:organisation_detail", kwargs={"slug": tenants.provider.slug})
    )
    assert url in page.content.decode()
    customer_url = reverse("contracts:organisation_activity", kwargs={"slug": tenants.customer.slug})
    body = client_for(tenants.customer_admin).get(customer_url).content.decode()
    assert tenants.contract.reference in body and other.reference not in body


# ---------------------------------------------------------------- the pages


def test_the_contracts_log_is_in_its_zone_and_the_organisations_in_utc(tenants, client_for):
    event = AuditEvent.objects.filter(contract=tenants.contract).latest("id")
    local = format_datetime(event.created_at, "Europe/Amsterdam")
    utc = format_datetime(event.created_at, "UTC")
    assert local.endswith(" (Europe/Amsterdam)") and utc.endswith(" UTC")
    client = client_for(tenants.provider_admin)
    body = client.get(activity_url(tenants.contract)).content.decode()
    assert f">{local}</time>" in body
    url = reverse("contracts:organisation_activity", kwargs={"slug": tenants.provider.slug})
    assert f">{utc}</time>" in client.get(url).content.decode()


def test_the_log_filters_by_action_and_pages_newest_first(tenants, client_for):
    contract = with_terms(tenants)
    for n in range(60):
        compliance_services.events_upsert(
            kind="incidents", contract=contract, user=tenants.provider_author, rows=[incident_row(n)]
        )
    client = client_for(tenants.customer_signer)
    page = client.get(activity_url(contract), {"action": AuditAction.EVENT_RECORDED})
    events = list(page.context["page"].object_list)
    assert len(events) == 50 and page.context["page"].paginator.count == 60
    assert events[0].summary == "Recorded incident INC-59 through the API"
    second = client.get(activity_url(contract), {"action": AuditAction.EVENT_RECORDED, "page": 2})
    assert "Page 2 of 2" in second.content.decode()
    assert "action=event_recorded&amp;page=1" in second.content.decode()
    assert client.get(activity_url(contract), {"action": "nonsense"}).status_code == 400


def _many_events(tenants, count):
    for n in range(count):
        services.audit_record(
            contract=tenants.contract,
            action=AuditAction.TERMS_EDITED,
            actor=tenants.provider_author if n % 2 else None,
            summary=f"Change {n}",
        )


@pytest.mark.parametrize("count", [3, 45])
def test_pages_read_a_constant_number_of_queries(tenants, client_for, django_assert_max_num_queries, count):
    _many_events(tenants, count)
    client = client_for(tenants.provider_admin)
    org_url = reverse("contracts:organisation_activity", kwargs={"slug": tenants.provider.slug})
    with django_assert_max_num_queries(9):
        assert client.get(activity_url(tenants.contract)).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(org_url).status_code == 200


def test_adding_and_removing_a_pause_is_recorded(tenants, client_for):
    from compliance.models import Incident

    contract = with_terms(tenants)
    compliance_services.events_upsert(
        kind="incidents", contract=contract, user=tenants.provider_author, rows=[incident_row(1, pauses=[])]
    )
    incident = Incident.objects.get(contract=contract)
    client = client_for(tenants.provider_author)
    add = reverse(
        "compliance:pause_add", kwargs={"reference": contract.reference, "incident_id": incident.pk}
    )
    # The incident runs 09:00-12:00 on 2 March, contract time.
    response = client.post(add, {"start": "2026-03-02T10:00", "end": "2026-03-02T10:45"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = last(contract, AuditAction.EVENT_RECORDED)
    assert event.summary == f"Added a pause to incident {incident.external_id}"
    assert event.actor == tenants.provider_author

    pause = incident.pauses.get()
    delete = reverse(
        "compliance:pause_delete",
        kwargs={"reference": contract.reference, "incident_id": incident.pk, "pause_id": pause.pk},
    )
    assert client.post(delete).status_code == 302
    assert (
        last(contract, AuditAction.EVENT_RECORDED).summary
        == f"Removed a pause from incident {incident.external_id}"
    )
