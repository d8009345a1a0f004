"""The string formats a CRD schema's `format` checks, as the API server checks them.

The server checks a custom resource's strings with kube-openapi's `strfmt.Default` registry,
after it drops every format a CRD may not use (apiextensions-apiserver's
`StripUnsupportedFormatsPostProcessorForVersion`): each check here follows the Go function the
registry names (net.ParseMAC, url.ParseRequestURI, govalidator's ISBN and credit cards, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: The string formats a CRD may use at 1.36 (dashes dropped, as go-openapi names them) that
#: strfmt.Default knows. `quantity` is allowed in a CRD but not in that registry: the server
#: validates such a field as if it had no format (probed: "1x" passes, a list is a type error).
_STRING_FORMATS = frozenset(
    {
        "bsonobjectid",
        "uri",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "cidr",
        "mac",
        "uuid",
        "uuid3",
        "uuid4",
        "uuid5",
        "isbn",
        "isbn10",
        "isbn13",
        "creditcard",
        "ssn",
        "hexcolor",
        "rgbcolor",
        "byte",
        "password",
        "date",
        "duration",
        "datetime",
        "k8sshortname",
        "k8slongname",
    }
)


def kept_format(types: tuple[str, ...], fmt: str) -> str:
    """The format the server validates with: '' for one it strips from the schema."""
    if not fmt:
        return ""
    kind = types[0] if len(types) == 1 else ""
    if kind in ("", "string"):
        return fmt if fmt.replace("-", "") in _STRING_FORMATS else ""
    if kind == "integer":
        return fmt if fmt in ("int32", "int64") else ""
    if kind == "number":
        return fmt if fmt in ("float", "double") else ""
    return ""


_UUID = r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?%s[0-9a-f]{3}-?%s[0-9a-f]{3}-?[0-9a-f]{12}\Z"
_RE = {
    "uuid": re.compile(_UUID % ("[0-9a-f]", "[0-9a-f]"), re.ASCII),
    "uuid3": re.compile(_UUID % ("3", "[0-9a-f]"), re.ASCII),
    "uuid4": re.compile(_UUID % ("4", "[89ab]"), re.ASCII),
    "uuid5": re.compile(_UUID % ("5", "[89ab]"), re.ASCII),
    "hexcolor": re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z"),
    "rgbcolor": re.compile(
        r"rgb\([\t\n\f\r ]*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])[\t\n\f\r ]*,"
        r"[\t\n\f\r ]*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])[\t\n\f\r ]*,"
        r"[\t\n\f\r ]*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])[\t\n\f\r ]*\)\Z",
        re.ASCII,
    ),
    "byte": re.compile(
        r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})\Z"
    ),
    "ssn": re.compile(r"[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}\Z"),
    "creditcard": re.compile(
        r"(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|"
        r"3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})\Z"
    ),
    "date": re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z"),
    "time": re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\Z"),
    "duration_part": re.compile(r"([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+)"),
    "go_duration": re.compile(
        r"[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z"
    ),
    "hostname": re.compile(
        r"([a0s]((-?[a0s]{0,62})?)|([a0s](([a0s-]{0,61}[a0s])?)(\.)){1,}(a){2,63})\Z"
    ),
    "dns_label": re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"),
    "dns_subdomain": re.compile(
        r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
    ),
    "mac_sep": re.compile(r"[0-9a-fA-F]{2}\Z"),
    "mac_dot": re.compile(r"[0-9a-fA-F]{4}\Z"),
}
_DURATION_UNITS = (
    (("ns", "nano"), 1),
    (("us", "µs", "micro"), 1),
    (("ms", "milli"), 1),
    (("s", "sec"), 1),
    (("m", "min"), 1),
    (("h", "hr", "hour"), 1),
    (("d", "day"), 1),
    (("w", "wk", "week"), 1),
)


def _is_date(text: str) -> bool:
    """Go's time.Parse("2006-01-02"): four-digit year, real month and day."""
    match = _RE["date"].match(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def _is_datetime(text: str) -> bool:
    """strfmt.IsDateTime: a date, 't', a time whose fields are in range (lowercased)."""
    if len(text) < 4:
        return False
    parts = text.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    match = _RE["time"].match(parts[1])
    if match is None:
        return False
    return match[1] <= "23" and match[2] <= "59" and match[3] <= "59"


def _is_duration(text: str) -> bool:
    """strfmt.ParseDuration: Go's time.ParseDuration, or any "<digits> <unit>" in the text.

    kube-openapi's copy has no check of the whole string (probed: "1.5 days" passes).
    """
    if _RE["go_duration"].match(text) or text in ("0", "+0", "-0"):
        return True
    for _, unit in _RE["duration_part"].findall(text):
        unit = unit.strip().lower()
        for variants, _ in _DURATION_UNITS:
            last = len(variants) - 1
            for index, variant in enumerate(variants):
                if (index == last and unit.startswith(variant)) or variant == unit:
                    return True
    return False


def _is_hostname(text: str) -> bool:
    """strfmt.IsHostname: its regular expression (letters and symbols of any script), lengths."""
    import unicodedata

    def kind(char: str) -> str:
        if char in "-.":
            return char
        if char.isascii():
            return "a" if char.isalpha() else "0" if char.isdigit() else "#"
        category = unicodedata.category(char)
        return "a" if category[0] == "L" else "s" if category[0] == "S" else "#"

    shape = "".join(kind(char) for char in text)
    if not _RE["hostname"].match(shape) or len(text.encode()) > 255:
        return False
    return all(len(part.encode()) <= 63 for part in text.split("."))


def _is_email(text: str) -> bool:
    """net/mail.ParseAddress: `a@b.c`, `a@b.c (comment)`, `Name <a@b.c>`, `<a@b.c>`.

    Its parser: an addr-spec first, else a phrase (words, comments after the first) and an
    angle-addr; spaces may follow '<' and '@'; comments (not nested here) may end it.
    """
    atom = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\U0010ffff]+"
    dot_atom = rf"{atom}(?:\.{atom})*"
    quoted = r'"(?:[^"\\\r\n]|\\.)*"'
    cfws = r"(?:[ \t]*\([^()\\]*\))*[ \t]*"
    addr = rf"[ \t]*(?:{dot_atom}|{quoted})@[ \t]*(?:{dot_atom}|\[[^\[\]\\]*\])"
    word = rf"(?:[A-Za-z0-9!#$%&'*+\-/=?^_`{{|}}~.\u0080-\U0010ffff]+|{quoted})"
    phrase = rf"{word}(?:{cfws}{word})*"
    shape = rf"[ \t]*(?:{addr}{cfws}|(?:{phrase})?[ \t]*<{addr}>{cfws})"
    return re.fullmatch(shape, text) is not None


def _is_uri(text: str) -> bool:
    """net/url.ParseRequestURI: an absolute URI or an absolute path, as a request names one."""
    if not text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return False
    if text == "*":
        return True
    rest = text
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    scheme = ""
    if match:
        scheme, rest = match[1], text[match.end() :]
    elif text[0] == ":" or re.match(r"[0-9+.\-]+:", text):
        return False  # missing protocol scheme
    rest = rest.partition("?")[0]
    if not rest.startswith("/"):
        return bool(scheme)  # opaque (mailto:x) with a scheme; never for a bare path
    if scheme and rest.startswith("//"):
        authority, _, path = rest[2:].partition("/")
        userinfo, at, host = authority.rpartition("@")
        if at and not re.fullmatch(r"[A-Za-z0-9\-._:~!$&'()*+,;=%@]*", userinfo):
            return False
        if host.startswith("["):
            close = host.find("]")
            if close < 0 or not re.fullmatch(r"(:[0-9]*)?", host[close + 1 :]):
                return False
        elif ":" in host and (
            host.count(":") > 1 or not re.fullmatch(r"[0-9]*", host.rpartition(":")[2])
        ):
            return False
        if not _escapes_ok(host) or not _escapes_ok(path):
            return False
        # unescape(host, encodeHost): an ASCII character a host must escape is an error
        return (
            re.fullmatch(r"[A-Za-z0-9\-_.~!$&'()*+,;=:\[\]<>\"%\x80-\U0010ffff]*", host) is not None
        )
    return _escapes_ok(rest)


def _escapes_ok(text: str) -> bool:
    """Every % starts a two-digit hexadecimal escape."""
    return re.search(r"%(?![0-9A-Fa-f]{2})", text) is None


def _is_mac(text: str) -> bool:
    """net.ParseMAC: 6, 8 or 20 octets in colon, dash or dot notation."""
    if len(text) < 14:
        return False
    if text[2] in ":-":
        if (len(text) + 1) % 3 != 0 or (len(text) + 1) // 3 not in (6, 8, 20):
            return False
        parts = text.split(text[2])
        return all(_RE["mac_sep"].match(part) for part in parts)
    if text[4] == ".":
        if (len(text) + 1) % 5 != 0 or 2 * (len(text) + 1) // 5 not in (6, 8, 20):
            return False
        return all(_RE["mac_dot"].match(part) for part in text.split("."))
    return False


def _is_ipv6(text: str) -> bool:
    """govalidator.IsIPv6: net.ParseIP reads it, and it has a colon."""
    import ipaddress

    if ":" not in text or "%" in text:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _isbn10(text: str) -> bool:
    digits = re.sub(r"[\t\n\f\r \-]+", "", text)
    if not re.fullmatch(r"[0-9]{9}X|[0-9]{10}", digits):
        return False
    total = sum((i + 1) * int(digits[i]) for i in range(9))
    total += 100 if digits[9] == "X" else 10 * int(digits[9])
    return total % 11 == 0


def _isbn13(text: str) -> bool:
    digits = re.sub(r"[\t\n\f\r \-]+", "", text)
    if not re.fullmatch(r"[0-9]{13}", digits):
        return False
    total = sum((1, 3)[i % 2] * int(digits[i]) for i in range(12))
    return int(digits[12]) - (10 - total % 10) % 10 == 0


def _is_creditcard(text: str) -> bool:
    digits = re.sub(r"[^0-9]+", "", text)
    if not _RE["creditcard"].match(digits):
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value % 10 + 1 if value >= 10 else value
    return total % 10 == 0


def _sloppy_ip(text: str) -> int:
    """ParseIPSloppy: the address's bits (32 or 128), 0 if it is none.

    Its IPv4 parts may have leading zeros, of any length.
    """
    import ipaddress

    quad = re.fullmatch(r"([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)", text)
    if quad:
        return 32 if all(int(part) <= 255 for part in quad.groups()) else 0
    if ":" not in text or "%" in text:
        return 0
    tail = re.search(r"(?<=:)([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+)\Z", text)
    if tail:
        if not all(int(part) <= 255 for part in tail.groups()):
            return 0
        text = text[: tail.start()] + ".".join(str(int(part)) for part in tail.groups())
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return 0
    return 128


def _is_ipv4(text: str) -> bool:
    return _sloppy_ip(text) > 0 and "." in text


def _is_cidr(text: str) -> bool:
    """ParseCIDRSloppy: a sloppy address, '/', a prefix length in decimal digits."""
    address, slash, prefix = text.partition("/")
    bits = _sloppy_ip(address)
    return bool(bits and slash and re.fullmatch(r"[0-9]+", prefix) and int(prefix) <= bits)


#: The check of each format the server validates (normalized names, no dashes).
FORMATS: dict[str, Callable[[str], bool]] = {
    "bsonobjectid": lambda s: re.fullmatch(r"[0-9a-fA-F]{24}", s) is not None,
    "uri": _is_uri,
    "email": _is_email,
    "hostname": _is_hostname,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "cidr": _is_cidr,
    "mac": _is_mac,
    "uuid": lambda s: _RE["uuid"].match(s) is not None,
    "uuid3": lambda s: _RE["uuid3"].match(s) is not None,
    "uuid4": lambda s: _RE["uuid4"].match(s) is not None,
    "uuid5": lambda s: _RE["uuid5"].match(s) is not None,
    "isbn": lambda s: _isbn10(s) or _isbn13(s),
    "isbn10": _isbn10,
    "isbn13": _isbn13,
    "creditcard": _is_creditcard,
    "ssn": lambda s: len(s) == 11 and _RE["ssn"].match(s) is not None,
    "hexcolor": lambda s: _RE["hexcolor"].match(s) is not None,
    "rgbcolor": lambda s: _RE["rgbcolor"].match(s) is not None,
    "byte": lambda s: _RE["byte"].match(s) is not None,
    "date": _is_date,
    "duration": _is_duration,
    "datetime": _is_datetime,
    "k8sshortname": lambda s: len(s) <= 63 and _RE["dns_label"].match(s) is not None,
    "k8slongname": lambda s: len(s) <= 253 and _RE["dns_subdomain"].match(s) is not None,
}
