"""PII001 on the reference mesh: personal data renamed or transformed into a product fails `mesh check`."""

import json

import pytest

from mesh_platform.cli import main

pytestmark = pytest.mark.integration

LEAKY_SQL = """\
select
    merchant_id,
    upper(email) as contact,
    replace(phone, ' ', '') as dial,
    director_name || '' as person,
    {{ mask_pii('email') }} as email_hash
from {{ ref('int_merchants_deduplicated') }}
"""

LEAKY_YML = """\
models:
  - name: merchant_leads
    description: One row per merchant, for the sales team.
    access: public
    latest_version: 1
    config: {contract: {enforced: true}, meta: {sla: {max_staleness_hours: 24}}}
    columns:
      - {name: merchant_id, data_type: varchar, description: Key., constraints: [{type: primary_key}],
         data_tests: [unique, not_null]}
      - {name: contact, data_type: varchar, description: Contact.}
      - {name: dial, data_type: varchar, description: Dial.}
      - {name: person, data_type: varchar, description: Person.}
      - {name: email_hash, data_type: varchar, description: Masked e-mail.}
    versions: [{v: 1}]
"""


def test_personal_data_renamed_or_transformed_into_a_product_fails_the_check(built_copy, capsys):
    marts = built_copy / "models" / "merchants" / "marts"
    (marts / "merchant_leads.sql").write_text(LEAKY_SQL)
    (marts / "merchant_leads.yml").write_text(LEAKY_YML)
    assert main(["check", "--format", "json", "--project-dir", str(built_copy)]) == 1
    report = json.loads(capsys.readouterr().out)
    leaks = sorted(f["related"] for f in report["findings"] if f["rule"] == "PII001" and f["status"] == "open")
    assert leaks == ["contact", "dial", "person"]  # email_hash is masked


def test_the_catalog_never_samples_a_column_that_carries_personal_data(built_copy, capsys):
    marts = built_copy / "models" / "merchants" / "marts"
    (marts / "merchant_leads.sql").write_text(LEAKY_SQL)
    (marts / "merchant_leads.yml").write_text(LEAKY_YML)
    root = str(built_copy)
    assert main(["build", "--select", "merchant_leads", "--quiet", "--project-dir", root]) == 0
    assert main(["catalog", "--project-dir", root]) == 0
    capsys.readouterr()
    page = (built_copy / "target" / "catalog" / "products" / "merchant_leads.html").read_text()
    emails = [line.split(",")[6] for line in (built_copy / "seeds" / "merchants" / "crm__merchants.csv")
              .read_text().splitlines()[1:4]]
    assert all(email.upper() not in page and email not in page for email in emails)
    assert "email_hash" in page  # the masked column is sampled
