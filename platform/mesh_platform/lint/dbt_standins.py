"""dbt's cross-database macros (`dbt.type_string()`, ...) as dbt-duckdb renders them, for linting without dbt."""


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

    @staticmethod
    def type_bigint():
        return "bigint"

    @staticmethod
    def type_float():
        return "float"

    @staticmethod
    def type_boolean():
        return "boolean"

    @staticmethod
    def current_timestamp():
        return "current_timestamp"

    @staticmethod
    def safe_cast(field, type):  # noqa: A002 - dbt's own argument name
        return f"try_cast({field} as {type})"

    @staticmethod
    def cast(field, type):  # noqa: A002 - dbt's own argument name
        return f"cast({field} as {type})"

    @staticmethod
    def cast_bool_to_text(field):
        return f"cast({field} as varchar)"

    @staticmethod
    def string_literal(value):
        return "'" + str(value).replace("'", "''") + "'"

    @staticmethod
    def escape_single_quotes(expression):
        return str(expression).replace("'", "''")

    @staticmethod
    def split_part(string_text, delimiter_text, part_number):
        return f"split_part({string_text}, {delimiter_text}, {part_number})"

    @staticmethod
    def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
        return f"string_agg({measure}, {delimiter_text})"

    @staticmethod
    def any_value(expression):
        return f"any_value({expression})"

    @staticmethod
    def bool_or(expression):
        return f"bool_or({expression})"

    @staticmethod
    def replace(field, old_chars, new_chars):
        return f"replace({field}, {old_chars}, {new_chars})"

    @staticmethod
    def length(expression):
        return f"length({expression})"

    @staticmethod
    def right(string_text, length_expression):
        return f"right({string_text}, {length_expression})"

    @staticmethod
    def position(substring_text, string_text):
        return f"position({substring_text} in {string_text})"

    @staticmethod
    def last_day(date, datepart):
        return f"last_day({date})"

    @staticmethod
    def intersect():
        return "intersect"


dbt = _DbtMacros()
setattr(dbt, "except", lambda: "except")  # a Python keyword: `dbt.except()` in a macro
