"""The API server's string rules (k8s.io/apimachinery/pkg/util/validation), with its messages.

Each `is_*` function returns the list of reasons a value is invalid, empty when it is valid,
exactly as apimachinery does, so podgen's errors read like the API server's.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # decimal is imported when a quantity is read: most runs have none
    from decimal import Decimal
    from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

_DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = _DNS1123_LABEL + r"(\." + _DNS1123_LABEL + ")*"
_DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?"
_QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
_ENV_VAR_NAME = "[-._a-zA-Z][-._a-zA-Z0-9]*"

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL)
_QUALIFIED_NAME_RE = re.compile(_QUALIFIED_NAME)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE)
_ENV_VAR_NAME_RE = re.compile(_ENV_VAR_NAME)

#: The values the API server accepts for the pod spec's enumerated fields.
RESTART_POLICIES = ("Always", "OnFailure", "Never")
IMAGE_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
TOTAL_ANNOTATION_SIZE_MAX = 256 * 1024


def _regex_error(message: str, pattern: str, *examples: str) -> str:
    shown = " or ".join(f"'{e}'" for e in examples)
    return f"{message} (e.g. {shown}, regex used for validation is '{pattern}')"


def _max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def _name_errors(
    value: str, max_length: int, pattern: re.Pattern[str], message: str, *examples: str
) -> list[str]:
    """The shared shape of apimachinery's name checks: a length bound, then a regex."""
    errors = []
    if len(value) > max_length:
        errors.append(_max_len_error(max_length))
    if not pattern.fullmatch(value):
        errors.append(_regex_error(message, pattern.pattern, *examples))
    return errors


def is_dns1123_label(value: str) -> list[str]:
    """A lowercase RFC 1123 label: container names, namespaces."""
    errors = _name_errors(
        value,
        DNS1123_LABEL_MAX,
        _DNS1123_LABEL_RE,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
        "or '-', and must start and end with an alphanumeric character",
        "my-name",
        "123-abc",
    )
    if errors and _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        # A valid subdomain but not a label: the length is checked already, so it is the dots.
        errors[-1] = "must not contain dots"
    return errors


def is_path_segment_name(value: str) -> list[str]:
    """IsValidPathSegmentName: RBAC objects, PodDisruptionBudgets and core Events."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in value]


def no_name_rule(value: str) -> list[str]:
    """Kinds whose names the API server does not check (reviews, CertificateSigningRequests)."""
    return []


def is_canonical_ip(value: str) -> list[str]:
    """ValidateIPAddressName: an IP address, written in its canonical form."""
    import ipaddress  # only for an IPAddress object

    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
    if str(address) != value:
        return [f'must be in canonical form ("{address}")']
    return []


_CONFIG_KEY = "[-._a-zA-Z0-9]+"
_CONFIG_KEY_RE = re.compile(_CONFIG_KEY)
_CONFIG_KEY_EXAMPLES = ["key.name", "KEY_NAME", "key-name"]


def is_config_map_key(value: str) -> list[str]:
    """IsConfigMapKey: a key of a ConfigMap's or a Secret's data."""
    errors = _name_errors(
        value,
        DNS1123_SUBDOMAIN_MAX,
        _CONFIG_KEY_RE,
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        *_CONFIG_KEY_EXAMPLES,
    )
    if value == ".":
        errors.append("must not be '.'")
    elif value == "..":
        errors.append("must not be '..'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return errors


def is_dns1123_subdomain(value: str) -> list[str]:
    """A lowercase RFC 1123 subdomain: Pod and Deployment names."""
    return _name_errors(
        value,
        DNS1123_SUBDOMAIN_MAX,
        _DNS1123_SUBDOMAIN_RE,
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
        "characters, '-' or '.', and must start and end with an alphanumeric character",
        "example.com",
    )


def is_dns1035_label(value: str) -> list[str]:
    """An RFC 1035 label: Service names."""
    return _name_errors(
        value,
        DNS1123_LABEL_MAX,
        _DNS1035_LABEL_RE,
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
        "start with an alphabetic character, and end with an alphanumeric character",
        "my-name",
        "abc-123",
    )


def is_qualified_name(value: str) -> list[str]:
    """A label or annotation key: an optional DNS subdomain prefix and '/', then a name."""
    errors: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend("prefix part " + e for e in is_dns1123_subdomain(prefix))
    else:
        return [
            "a qualified name "
            + _regex_error(
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                "end with an alphanumeric character",
                _QUALIFIED_NAME,
                "MyName",
                "my.name",
                "123-abc",
            )
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errors.append("name part must be non-empty")
    elif len(name) > QUALIFIED_NAME_MAX:
        errors.append("name part " + _max_len_error(QUALIFIED_NAME_MAX))
    if name and not _QUALIFIED_NAME_RE.fullmatch(name):
        errors.append(
            "name part "
            + _regex_error(
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                "end with an alphanumeric character",
                _QUALIFIED_NAME,
                "MyName",
                "my.name",
                "123-abc",
            )
        )
    return errors


def is_valid_label_value(value: str) -> list[str]:
    """A label value: empty, or up to 63 alphanumerics with '-', '_' and '.' inside."""
    errors = []
    if len(value) > LABEL_VALUE_MAX:
        errors.append(_max_len_error(LABEL_VALUE_MAX))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errors.append(
            _regex_error(
                "a valid label must be an empty string or consist of alphanumeric characters, "
                "'-', '_' or '.', and must start and end with an alphanumeric character",
                _LABEL_VALUE,
                "MyValue",
                "my_value",
                "12345",
            )
        )
    return errors


def is_env_var_name(value: str) -> list[str]:
    """An environment variable name, by the rule kubectl applies to --env."""
    errors = []
    if not _ENV_VAR_NAME_RE.fullmatch(value):
        errors.append(
            _regex_error(
                "a valid environment variable name must consist of alphabetic characters, "
                "digits, '_', '-', or '.', and must not start with a digit",
                _ENV_VAR_NAME,
                "my.env-name",
                "MY_ENV.NAME",
                "MyEnvName1",
            )
        )
    if value == ".":
        errors.append("must not be '.'")
    elif value == "..":
        errors.append("must not be '..'")
    elif value.startswith(".."):
        errors.append("must not start with '..'")
    return errors


def is_relaxed_env_var_name(value: str) -> list[str]:
    """An env var name as the API server takes it: printable ASCII other than '='.

    The RelaxedEnvironmentVariableValidation feature (on by default since 1.32); kubectl's
    --env keeps the old rule (`is_env_var_name`).
    """
    if value and all(" " <= c <= "~" and c != "=" for c in value):
        return []
    return [
        "a valid environment variable name must consist only of printable ASCII characters "
        "other than '='"
    ]


def is_valid_path_segment_name(name: str) -> list[str]:
    """IsValidPathSegmentName: a name that can stand as one segment of a URL path (RBAC names)."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


def is_valid_port_num(port: int) -> list[str]:
    """A TCP/UDP port number."""
    return [] if 1 <= port <= 65535 else ["must be between 1 and 65535, inclusive"]


# distribution/reference's grammar, which kubectl run checks --image against.
_ALNUM = "[a-z0-9]+"
_SEPARATOR = "(?:[._]|__|[-]+)"
_PATH_COMPONENT = f"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_NAME = rf"(?:{_HOST}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REFERENCE_RE = re.compile(rf"{_NAME}(?::{_TAG})?(?:@{_DIGEST})?", re.ASCII)


def is_image_reference(value: str) -> bool:
    """Check `value` against distribution/reference's ReferenceRegexp, as kubectl run does."""
    return _REFERENCE_RE.fullmatch(value) is not None


# Characters kubectl's YAML printer cannot carry: its JSON-to-YAML step rejects DEL, the C1
# controls and U+FFFE/U+FFFF, and silently folds U+0085 (NEL) into a space or newline.
_UNPRINTABLE_BY_KUBECTL = "[\x7f-\x9f\ufffe\uffff\ud800-\udfff]"


def unprintable_character(value: str) -> str | None:
    """The first character kubectl's YAML printer would reject or corrupt, if any."""
    if value.isascii():  # almost every value: of those characters, only DEL is ASCII
        return "\x7f" if "\x7f" in value else None
    match = re.search(_UNPRINTABLE_BY_KUBECTL, value)  # compiled on first use, then cached
    return match.group() if match else None


# resource.Quantity: a signed decimal number and an optional suffix. apimachinery's parser
# takes a number with no digits as 0 (`-`, `.`, `m`, `Gi` are quantities to the server).
_QUANTITY_RE = re.compile(r"([+-]?[0-9]*\.?[0-9]*)([a-zA-Z]*|[eE][+-]?[0-9]+)")
_BINARY_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_EXPONENTS = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}


def quantity_value(text: str) -> Decimal | None:
    """The value of a Kubernetes resource quantity, or None when it is not one."""
    match = _QUANTITY_RE.fullmatch(text)
    if match is None or not text:
        return None
    from decimal import Decimal, InvalidOperation

    number, suffix = match.groups()
    if not any(digit in number for digit in "0123456789"):
        number = "0"
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    if suffix in _BINARY_SUFFIXES:
        return value * _BINARY_SUFFIXES[suffix]
    if suffix in _DECIMAL_EXPONENTS:
        return value.scaleb(_DECIMAL_EXPONENTS[suffix])
    if suffix[:1] in ("e", "E"):
        return value.scaleb(int(suffix[1:]))
    return None


def is_valid_port_name(port: str) -> list[str]:
    """An IANA service name, as container port names and named target ports must be."""
    errors = []
    if len(port) > 15:
        errors.append(_max_len_error(15))
    if not re.fullmatch("[-a-z0-9]+", port):
        errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errors.append("must contain at least one letter (a-z)")
    if "--" in port:
        errors.append("must not contain consecutive hyphens")
    if port[:1] == "-" or port[-1:] == "-":
        errors.append("must not begin or end with a hyphen")
    return errors


# A CronJob's schedule, as robfig/cron's ParseStandard reads it (the CronJob controller's parser):
# five fields, or a descriptor.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
#: Each field's name, bounds, and the names it takes for numbers.
_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {month: number for number, month in enumerate(_MONTHS, 1)}),
    ("day of week", 0, 6, {day: number for number, day in enumerate(_WEEKDAYS)}),
)
_CRON_DESCRIPTORS = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)


def cron_schedule_problems(schedule: str) -> list[str]:
    """Why a CronJob schedule is not one the API server takes; empty if it is."""
    if "TZ" in schedule:
        return ["cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
    if schedule.startswith("@"):
        if schedule in _CRON_DESCRIPTORS or schedule.startswith("@every "):
            return []
        return [f"unrecognized descriptor: {schedule}"]
    fields = schedule.split()
    if len(fields) != len(_CRON_FIELDS):
        return [f"expected exactly 5 fields, found {len(fields)}: {schedule}"]
    problems: list[str] = []
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for part in text.split(","):
            problem = _cron_range_problem(part, low, high, names)
            if problem:
                problems.append(f"{name}: {problem}")
    return problems


def _cron_range_problem(part: str, low: int, high: int, names: dict[str, int]) -> str | None:
    span, slash, step = part.partition("/")
    if slash and not (step.isdigit() and int(step) > 0):
        return f"step of range should be a positive number: {part}"
    if span in ("*", "?"):
        return None
    first, dash, last = span.partition("-")
    bounds = []
    for word in (first, last) if dash else (first,):
        value = names.get(word.lower(), int(word) if word.isdigit() else None)
        if value is None:
            return f"failed to parse int from {word}"
        bounds.append(value)
    start, end = bounds[0], bounds[-1] if dash else (high if slash else bounds[0])
    if start < low:
        return f"beginning of range ({start}) below minimum ({low}): {part}"
    if end > high:
        return f"end of range ({end}) above maximum ({high}): {part}"
    if start > end:
        return f"beginning of range ({start}) beyond end of range ({end}): {part}"
    return None


def is_time_zone(name: str) -> bool:
    """Whether `name` is an IANA time zone (a CronJob's timeZone); `Local` is not explicit."""
    import zoneinfo  # only for a CronJob with a time zone

    if not name or name.lower() == "local":
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


_DOTTED_QUAD_RE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+", re.ASCII)
_IP_EXAMPLES = "(e.g. 10.9.8.7 or 2001:db8::ffff)"
_CIDR_EXAMPLES = "(e.g. 10.9.8.0/24 or 2001:db8::/64)"


def parse_ip_sloppy(text: str) -> tuple[IPv4Address | IPv6Address | None, bool]:
    """The address as k8s.io/utils/net's ParseIPSloppy reads it, and whether it had leading 0s.

    IPv4 octets may have leading zeros; (None, False) when it is no IP address at all.
    """
    import ipaddress

    if _DOTTED_QUAD_RE.fullmatch(text):
        octets = text.split(".")
        if all(int(octet) <= 255 and len(octet) <= 3 for octet in octets):
            padded = any(len(octet) > 1 and octet[0] == "0" for octet in octets)
            return ipaddress.IPv4Address(".".join(str(int(o)) for o in octets)), padded
        return None, False
    if "%" in text or ":" not in text:  # Go reads no zone, and no other IPv4 forms
        return None, False
    try:
        return ipaddress.IPv6Address(text), False
    except ValueError:
        return None, False


def ip_problems(text: str) -> list[str]:
    """IsValidIP: an IP address, without leading zeros or an IPv4-mapped IPv6 form."""
    address, padded = parse_ip_sloppy(text)
    if address is None:
        return [f"must be a valid IP address, {_IP_EXAMPLES}"]
    if padded:
        return ["must not have leading 0s"]
    if address.version == 6 and address.ipv4_mapped is not None:
        return ["must not be an IPv4-mapped IPv6 address"]
    return []


def cidr_network(text: str) -> IPv4Network | IPv6Network | None:
    """The network as ParseCIDRSloppy reads a CIDR (leading zeros, host bits), or None."""
    import ipaddress

    address_text, slash, prefix = text.partition("/")
    address = parse_ip_sloppy(address_text)[0]
    if address is None or not slash or not prefix.isascii() or not prefix.isdigit():
        return None
    if int(prefix) > address.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{address}/{int(prefix)}", strict=False)


def cidr_problems(text: str) -> list[str]:
    """IsValidCIDR, strict as the API server checks new values.

    A CIDR with no leading zeros, no IPv4-mapped IPv6 address, and no bits set beyond the prefix.
    """
    network = cidr_network(text)
    if network is None:
        return [f"must be a valid CIDR value, {_CIDR_EXAMPLES}"]
    address_text, _, prefix = text.partition("/")
    address, padded = parse_ip_sloppy(address_text)
    if padded or (len(prefix) > 1 and prefix[0] == "0"):
        return ["must not have leading 0s in IP or prefix length"]
    if address is not None and address.version == 6 and address.ipv4_mapped is not None:
        return ["must not have an IPv4-mapped IPv6 address"]
    if network.network_address != address:
        return ["must not have bits set beyond the prefix length"]
    return []
