package io.slmfleet.router.capture;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Replaces personal data and credentials in text with placeholders before a usage record is written: e-mail
 * addresses, bearer tokens and API-key-like strings, card numbers (only when the Luhn check passes, so order numbers
 * stay), IPv4 and IPv6 addresses, phone numbers. The order matters: credentials and cards go first, so their digits are
 * not taken for phone numbers, IPv6 before IPv4 so an embedded IPv4 goes with its address; phone numbers need a shape (international prefix, area code in parentheses, 3-3-4 or a
 * leading trunk 0) and 9 to 15 digits, so dates, times and amounts stay.
 */
public final class PiiRedactor {

    public static final String EMAIL = "[EMAIL]";
    public static final String TOKEN = "[TOKEN]";
    public static final String API_KEY = "[API_KEY]";
    public static final String CARD = "[CARD]";
    public static final String IP = "[IP]";
    public static final String PHONE = "[PHONE]";

    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}");

    private static final Pattern BEARER_PATTERN = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{8,}");

    /** Well-known key prefixes (OpenAI, NVIDIA, GitHub, Slack, AWS, Google, Hugging Face) and JWTs. */
    private static final Pattern KNOWN_KEY_PATTERN = Pattern.compile("\\b(?:"
            + "sk-[A-Za-z0-9_-]{16,}"
            + "|nvapi-[A-Za-z0-9_-]{16,}"
            + "|gh[pousr]_[A-Za-z0-9]{20,}"
            + "|github_pat_[A-Za-z0-9_]{20,}"
            + "|xox[abposr]-[A-Za-z0-9-]{10,}"
            + "|AKIA[0-9A-Z]{16}"
            + "|AIza[0-9A-Za-z_-]{35}"
            + "|hf_[A-Za-z0-9]{20,}"
            + "|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
            + ")");

    /** key=value / "api_key": "value" style assignments of secrets, whatever the value looks like. */
    private static final Pattern ASSIGNED_SECRET_PATTERN = Pattern.compile(
            "(?i)\\b((?:api[_-]?key|apikey|secret|token|password|passwd)\\b[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;]{6,}");

    /** Long random-looking strings: at least 32 characters mixing letters and digits. */
    private static final Pattern GENERIC_KEY_PATTERN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])");

    private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\d.])\\d(?:[ -]?\\d){12,18}(?![\\d.])");

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4_PATTERN = Pattern.compile(
            "(?<![\\d.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\d]|\\.\\d)");

    /** Candidates only; {@link #isIpv6} decides. */
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::" + OCTET + "(?:\\." + OCTET + "){3})?"
                    + "(?:%[0-9A-Za-z]+)?(?![0-9A-Za-z:]|\\.\\d)");

    private static final Pattern PHONE_PATTERN = Pattern.compile("(?<![\\w+])(?:"
            + "\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?)(?:[ .-]?\\d{2,4}){2,5}"
            + "|\\(\\d{2,4}\\)[ .-]?\\d{2,4}(?:[ .-]?\\d{2,4}){1,3}"
            + "|\\d{3}[ .-]\\d{3}[ .-]\\d{4}"
            + "|0\\d{1,4}(?:[ .-]\\d{2,4}){2,4}"
            + ")(?!\\w)");

    private PiiRedactor() {
    }

    public static String redact(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String result = EMAIL_PATTERN.matcher(text).replaceAll(EMAIL);
        result = BEARER_PATTERN.matcher(result).replaceAll("$1 " + TOKEN);
        result = KNOWN_KEY_PATTERN.matcher(result).replaceAll(API_KEY);
        result = ASSIGNED_SECRET_PATTERN.matcher(result).replaceAll("$1" + API_KEY);
        result = replaceIf(GENERIC_KEY_PATTERN, result, PiiRedactor::looksRandom, API_KEY);
        result = replaceIf(CARD_PATTERN, result, PiiRedactor::passesLuhn, CARD);
        result = replaceIf(IPV6_CANDIDATE, result, PiiRedactor::isIpv6, IP);
        result = IPV4_PATTERN.matcher(result).replaceAll(IP);
        result = replaceIf(PHONE_PATTERN, result, PiiRedactor::hasPhoneDigits, PHONE);
        return result;
    }

    /** Redacts every string value (not the keys) of a JSON tree, in place; returns the node for chaining. */
    public static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(redact(field.getValue().asText())));
                } else {
                    redact(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(redact(array.get(i).asText())));
                } else {
                    redact(array.get(i));
                }
            }
        }
        return node;
    }

    private interface Check {
        boolean matches(String candidate);
    }

    private static String replaceIf(Pattern pattern, String text, Check check, String replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (matcher.find()) {
            if (!check.matches(matcher.group())) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, matcher.start()).append(replacement);
            copied = matcher.end();
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean looksRandom(String candidate) {
        boolean letters = false;
        boolean digits = false;
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            letters |= Character.isLetter(c);
            digits |= Character.isDigit(c);
        }
        return letters && digits;
    }

    static boolean passesLuhn(String candidate) {
        int sum = 0;
        int count = 0;
        for (int i = candidate.length() - 1; i >= 0; i--) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int digit = c - '0';
            if (count % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            count++;
        }
        return count >= 13 && count <= 19 && sum % 10 == 0;
    }

    private static boolean hasPhoneDigits(String candidate) {
        int digits = 0;
        for (int i = 0; i < candidate.length(); i++) {
            if (Character.isDigit(candidate.charAt(i))) {
                digits++;
            }
        }
        return digits >= 9 && digits <= 15;
    }

    /** RFC 4291 text forms: eight groups, or fewer with one "::", optionally ending in an IPv4 address. */
    static boolean isIpv6(String candidate) {
        // real addresses have a decimal digit somewhere; "a::b" or "dead::beef" in text is far more likely code
        if (candidate.chars().noneMatch(Character::isDigit)) {
            return false;
        }
        String address = candidate;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        int groupsForIpv4 = 0;
        int lastColon = address.lastIndexOf(':');
        if (address.indexOf('.', lastColon) >= 0) {
            address = address.substring(0, lastColon + 1) + "0:0";
            groupsForIpv4 = 2;
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        if (doubleColon < 0) {
            String[] groups = address.split(":", -1);
            return groups.length == 8 && allHexGroups(groups);
        }
        String head = address.substring(0, doubleColon);
        String tail = address.substring(doubleColon + 2);
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tailGroups = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        return headGroups.length + tailGroups.length <= 7 && allHexGroups(headGroups) && allHexGroups(tailGroups)
                && (groupsForIpv4 == 0 || tailGroups.length + headGroups.length >= groupsForIpv4);
    }

    private static boolean allHexGroups(String[] groups) {
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4) {
                return false;
            }
            for (int i = 0; i < group.length(); i++) {
                if (Character.digit(group.charAt(i), 16) < 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
