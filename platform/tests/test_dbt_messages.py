"""dbt's long messages keep their point when folded to one line: the YAML problem, the contract's mismatches."""

from mesh_platform.dbt_messages import essential

YAML_ERROR = """Parsing Error
  Error reading mesh: partners/marts/partner_commissions.yml - Runtime Error
    Syntax error near line 28
    ------------------------------
    25 |       - name: partner_id
    26 |         description: >-
    27 |           The partner the commission is owed to, one of the partner portal's partners, whose every
    28 |         referral: that funded counts towards it.
    """ + "    29 | " + "x" * 400 + """

    Raw Error:
    ------------------------------
    mapping values are not allowed here
      in "<unicode string>", line 28, column 17"""

CONTRACT_ERROR = """Compilation Error in model campaigns (models/marketing/marts/campaigns.sql)
  This model has an enforced contract that failed.
  Please ensure the name, data_type, and number of columns in your contract match the columns in your model's \
definition.

  | column_name | definition_type | contract_type | mismatch_reason     |
  | ----------- | --------------- | ------------- | ------------------- |
  | budget_gbp  | DOUBLE          | INTEGER       | data type mismatch  |
  | zz_extra    | DECIMAL(2,1)    |               | missing in contract |


  > in macro assert_columns_equivalent (macros/relations/column/columns_spec_ddl.sql)
  > called by model campaigns (models/marketing/marts/campaigns.sql)"""


def test_a_yaml_error_gives_the_parsers_problem_with_file_and_line():
    assert essential(YAML_ERROR) == ("not valid YAML: partners/marts/partner_commissions.yml line 28: mapping values "
                                     "are not allowed here")


def test_a_failed_contract_gives_each_mismatching_column_with_both_types():
    assert essential(CONTRACT_ERROR) == (
        "Compilation Error in model campaigns (models/marketing/marts/campaigns.sql): the enforced contract does not "
        "match: budget_gbp: data type mismatch (the model gives DOUBLE, the contract says INTEGER); zz_extra: "
        "missing in contract (the model gives DECIMAL(2,1), the contract says none)")


def test_other_messages_lose_only_dbts_macro_stack():
    message = "Runtime Error in model x (models/a/x.sql)\n  Conversion Error: 'oops'\n  > in macro m (macros/m.sql)"
    assert essential(message) == "Runtime Error in model x (models/a/x.sql) Conversion Error: 'oops'"
