"""What sqlfluff's Jinja templater sees for dbt's cross-database macros and the project's own macros.

Loaded by sqlfluff as a library package (its contents become top-level names in the template context),
so `{{ dbt.type_string() }}` and `{{ mask_pii('email') }}` render to DuckDB SQL of the same shape as dbt
renders them, without compiling the project. A test lints the whole project, so a macro used in a model
but missing here shows up as a templating error.
"""


class _DbtMacros:
    """dbt's cross-database macros, rendered as dbt-duckdb renders them."""

    @staticmethod
    def type_string():
        return "varchar"

    @staticmethod
    def type_timestamp():
        return "timestamp"

    @staticmethod
    def type_int():
        return "integer"

    @staticmethod
    def type_numeric():
        return "numeric(28, 6)"

    @staticmethod
    def date_trunc(datepart, date):
        return f"date_trunc('{datepart}', {date})"

    @staticmethod
    def dateadd(datepart, interval, from_date_or_timestamp):
        return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"

    @staticmethod
    def datediff(first_date, second_date, datepart):
        return f"date_diff('{datepart}', {first_date}, {second_date})"

    @staticmethod
    def date_spine(datepart, start_date, end_date):
        return (f"select range as date_{datepart} "
                f"from range({start_date}, {end_date}, interval 1 {datepart})")

    @staticmethod
    def concat(fields):
        return f"concat({', '.join(fields)})"

    @staticmethod
    def hash(field):
        return f"md5(cast({field} as varchar))"


dbt = _DbtMacros()


def mask_pii(column_name):
    """macros/mask_pii.sql"""
    return f"sha256({column_name})"


def regex_matches(expression, pattern):
    """macros/regex_matches.sql"""
    return f"regexp_full_match({expression}, '{pattern}')"


def incremental_window_start(date_column):
    """macros/incremental_window.sql (on a real run: the latest day in the model less the lookback)"""
    return "cast('2025-12-28' as date)"
