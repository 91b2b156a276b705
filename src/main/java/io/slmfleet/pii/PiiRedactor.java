package io.slmfleet.pii;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Replaces personal data and credentials in text with placeholders; the router redacts usage records with it before
 * they are written, and curation redacts them a second time (with whatever this class has learnt since). It finds:
 * <ul>
 * <li>PEM private-key blocks ({@code -----BEGIN ... PRIVATE KEY-----} to the matching END line) → {@value #PRIVATE_KEY};
 * <li>e-mail addresses → {@value #EMAIL};
 * <li>bearer tokens ({@code Authorization: Bearer ...}) → {@code Bearer [TOKEN]}; HTTP Basic credentials (a base64 run
 * of 8+ characters after {@code Authorization: Basic}, or after a bare {@code Basic} when the run holds a digit,
 * {@code + / =} or a capital after a small letter, so "a basic question" stays) → {@code Basic [TOKEN]};
 * <li>well-known API keys, JWTs, and values assigned to a secret's usual variable names ({@code api_key}, {@code apiKey},
 * {@code secret}, {@code password}, {@code token}, {@code AWS_SECRET_ACCESS_KEY}, {@code client_secret}, ... followed by
 * {@code =} or {@code :}) → {@value #API_KEY}, the name kept;
 * <li>IBANs, compact or in groups of four, only when the ISO 13616 mod-97 check passes (so a random digit run stays) →
 * {@value #IBAN};
 * <li>national identity numbers → {@value #NATIONAL_ID}: US social security numbers (3-2-4 digits with dashes, or
 * with spaces after an {@code SSN} or {@code social security number} label, which stays; unlabelled, the spaced
 * shape is too common; area 000, 666 and 9xx, group 00 and serial 0000 are never issued, so they stay), UK National
 * Insurance numbers (two prefix letters from the allowed set, six digits, suffix A–D; the never-used prefixes BG, GB,
 * KN, NK, NT, TN, ZZ stay), Spanish DNI and NIE (eight digits or X/Y/Z and seven digits, then the mod-23 control
 * letter, which must match), French NIR (sécurité sociale, 13 digits or Corsica's 2A/2B, then the 97-complement key,
 * which must match) and Italian codici fiscali (16 capitals and digits in the official shape, omocodia letters accepted in the digit positions, only
 * when the check character computed by the odd/even tables of the DM 23/12/1976 matches; lower case stays). German
 * tax ids are left out on purpose: 11 plain digits with a mod-11,10 check digit would take one random 11-digit
 * number in ten;
 * <li>dates of birth after a label ({@code DOB}, {@code D.O.B.}, {@code date of birth}, {@code birth date},
 * {@code birthdate}, {@code birthday}, {@code born (on)}; the label stays), numeric ({@code 1985-03-14},
 * {@code 14/03/1985}, {@code 14.03.1985}) or with an English month name ({@code March 14, 1985},
 * {@code 14th March 1985}) → {@value #DATE_OF_BIRTH}; unlabelled dates stay;
 * <li>long random-looking strings (32+ characters mixing letters and digits) → {@value #API_KEY}, but not UUIDs, git
 * commit ids (40 hex digits) or SHA-256/SHA-512 digests (64, 128 hex digits), in one case: identifiers, not secrets
 * (assigned to a secret's name they are still redacted by that rule). 32 hex digits stay redacted on purpose: an MD5
 * looks like that, but so do many API keys;
 * <li>card numbers (only when the Luhn check passes, so order numbers stay; a dot or colon may touch them, as in
 * {@code cc:5555555555554444.}, but not one between digits, so {@code 1234567890128.45} stays) → {@value #CARD};
 * <li>IPv6 and IPv4 addresses → {@value #IP};
 * <li>phone numbers → {@value #PHONE}: they need a shape (international prefix, area code in parentheses, 3-3-4 or a
 * leading trunk 0) and 9 to 15 digits, so dates, times and amounts stay.
 * </ul>
 * Person names and street addresses are not found: no pattern tells them from ordinary words (a model-based
 * recognizer would be needed, see docs/curation.md).
 * The order matters: whole blocks and credentials go first, then IBANs, national ids and dates of birth, then cards,
 * so none of their digits are taken for card or phone numbers; IPv6 before IPv4 so an embedded IPv4 goes with its
 * address.
 */
public final class PiiRedactor {

    public static final String EMAIL = "[EMAIL]";
    public static final String TOKEN = "[TOKEN]";
    public static final String API_KEY = "[API_KEY]";
    public static final String PRIVATE_KEY = "[PRIVATE_KEY]";
    public static final String IBAN = "[IBAN]";
    public static final String NATIONAL_ID = "[NATIONAL_ID]";
    public static final String DATE_OF_BIRTH = "[DATE_OF_BIRTH]";
    public static final String CARD = "[CARD]";
    public static final String IP = "[IP]";
    public static final String PHONE = "[PHONE]";

    private static final Pattern PEM_PRIVATE_KEY_PATTERN = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?-----END \\1PRIVATE KEY-----", Pattern.DOTALL);

    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}");

    private static final Pattern BEARER_PATTERN = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{8,}");

    /** Group 1 the scheme (with an Authorization header name, if any) kept, group 2 the base64 credentials. */
    private static final Pattern BASIC_PATTERN = Pattern.compile(
            "(?i)((?:\\bauthorization[\"']?\\s*[:=]\\s*[\"']?)?\\bbasic\\s+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])");

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

    /**
     * key=value / "api_key": "value" style assignments of secrets, whatever the value looks like. The match starts at
     * the secret word, so a prefix ({@code AWS_SECRET_ACCESS_KEY}, {@code client_secret}, {@code accessToken}) stays as
     * it is; the word must end the name, so {@code max_tokens: 512} stays too.
     */
    private static final Pattern ASSIGNED_SECRET_PATTERN = Pattern.compile(
            "(?i)((?:api[_-]?key|secret(?:[_-]?access)?(?:[_-]?key)?|access[_-]?key|private[_-]?key|token|password"
                    + "|passwd)\\b[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;]{6,}");

    /** Country code, check digits, then 11 to 30 letters or digits, compact or in groups of four. */
    private static final Pattern IBAN_PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])");

    private static final Pattern US_SSN_PATTERN = Pattern.compile("(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])");

    /** 3-2-4 digits with spaces only after a label (group 1, kept): unlabelled, the shape is too common. */
    private static final Pattern US_SSN_SPACED_PATTERN = Pattern.compile(
            "(?i)(\\b(?:ssn|social[ -]security(?:[ -](?:number|no\\.?|#))?)\\s*[:#]?\\s*)(\\d{3} \\d{2} \\d{4})(?![\\d-])");

    private static final Pattern UK_NINO_PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D](?![A-Za-z0-9])");

    private static final Pattern ES_DNI_NIE_PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9])(?:\\d{8}|[XYZ]-?\\d{7})-?[A-Z](?![A-Za-z0-9])");

    private static final Pattern FR_NIR_PATTERN = Pattern.compile(
            "(?<![\\dA-Za-z])[12] ?\\d{2} ?\\d{2} ?(?:\\d{2}|2[AB]) ?\\d{3} ?\\d{3} ?\\d{2}(?![\\dA-Za-z])");

    /**
     * Italian codice fiscale: surname and name letters, year, month letter, day, place code, check letter; the digit
     * positions may hold the omocodia letters L M N P-V instead.
     */
    private static final Pattern IT_FISCAL_CODE_PATTERN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z](?![A-Za-z0-9])");

    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";

    /**
     * A date after a date-of-birth label (group 1, kept): {@code DOB}, {@code D.O.B.}, {@code date of birth},
     * {@code birth date}, {@code birthdate}, {@code birthday}, {@code born (on)}; the date (group 2) as year-month-day,
     * day-month-year or month-day-year with {@code - / .}, or with the month's English name.
     */
    private static final Pattern DATE_OF_BIRTH_PATTERN = Pattern.compile("(?i)(\\b(?:d\\.?o\\.?b\\.?|date of birth"
            + "|birth[ -]?date|birthday|born(?: on)?)\\s*(?:[:=#-]|is)?\\s*)("
            + "\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}"
            + "|\\d{1,2}[-/.]\\d{1,2}[-/.](?:\\d{4}|\\d{2})"
            + "|" + MONTH + " \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}"
            + "|\\d{1,2}(?:st|nd|rd|th)? (?:of )?" + MONTH + ",? \\d{4}"
            + ")(?!\\d)");

    /** Long random-looking strings: at least 32 characters mixing letters and digits. */
    private static final Pattern GENERIC_KEY_PATTERN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])");

    /**
     * A dot or colon may touch the number (end of a sentence, {@code cc:}) unless a digit is on its other side; a letter
     * may not, nor a letter or digit behind a dash, so the digit runs of hex ids and UUIDs stay.
     */
    private static final Pattern CARD_PATTERN = Pattern.compile(
            "(?<![\\dA-Za-z])(?<![\\d][.:])(?<![\\dA-Za-z]-)\\d(?:[ -]?\\d){12,18}(?![\\dA-Za-z]|[.:]\\d|-[\\dA-Za-z])");

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4_PATTERN = Pattern.compile(
            "(?<![\\d.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\d]|\\.\\d)");

    /** Candidates only; {@link #isIpv6} decides. */
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::" + OCTET + "(?:\\." + OCTET + "){3})?"
                    + "(?:%[0-9A-Za-z]+)?(?![0-9A-Za-z:]|\\.\\d)");

    /** Not inside a dashed identifier (a UUID's all-digit groups): no letter or digit behind a leading dash. */
    private static final Pattern PHONE_PATTERN = Pattern.compile("(?<![\\w+])(?<![A-Za-z0-9]-)(?:"
            + "\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?)(?:[ .-]?\\d{2,4}){2,5}"
            + "|\\(\\d{2,4}\\)[ .-]?\\d{2,4}(?:[ .-]?\\d{2,4}){1,3}"
            + "|\\d{3}[ .-]\\d{3}[ .-]\\d{4}"
            + "|0\\d{1,4}(?:[ .-]\\d{2,4}){2,4}"
            + ")(?!\\w|-[A-Za-z0-9])");

    /** How the names {@link #ASSIGNED_SECRET_PATTERN} finds can end. */
    private static final List<String> SECRET_NAME_ENDINGS = List.of("key", "secret", "access", "token", "password",
            "passwd");

    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

    /** Decreto ministeriale 23/12/1976: the values of A..Z (digits 0..9 as A..J) in the odd positions 1, 3, ..., 15. */
    private static final int[] FISCAL_CODE_ODD = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
            16, 10, 22, 25, 24, 23};

    private PiiRedactor() {
    }

    public static String redact(String text) {
        if (text.isEmpty()) {
            return text;
        }
        Shape shape = Shape.of(text);
        String result = text;
        if (shape.pemBlock) {
            result = PEM_PRIVATE_KEY_PATTERN.matcher(result).replaceAll(PRIVATE_KEY);
        }
        if (shape.emailAt) {
            result = EMAIL_PATTERN.matcher(result).replaceAll(EMAIL);
        }
        if (shape.base64Run >= 8 && containsIgnoreCase(result, "basic")) {
            result = replaceLabelled(BASIC_PATTERN, result, PiiRedactor::isBasicCredential, TOKEN);
        }
        if (shape.keyRun >= 8 && containsIgnoreCase(result, "bearer")) {
            result = BEARER_PATTERN.matcher(result).replaceAll("$1 " + TOKEN);
        }
        if (shape.keyRun >= 15 && containsAny(result, "sk-", "nvapi-", "_", "xox", "AKIA", "AIza", "eyJ")) {
            result = KNOWN_KEY_PATTERN.matcher(result).replaceAll(API_KEY);
        }
        if (shape.assignment && hasAssignedSecretName(result)) {
            result = ASSIGNED_SECRET_PATTERN.matcher(result).replaceAll("$1" + API_KEY);
        }
        if (shape.ibanStart) {
            result = replaceIf(IBAN_PATTERN, result, PiiRedactor::passesIbanCheck, IBAN);
        }
        if (shape.ssnDashes) {
            result = replaceIf(US_SSN_PATTERN, result, PiiRedactor::isIssuableSsn, NATIONAL_ID);
        }
        if (shape.ssnSpaces && (containsIgnoreCase(result, "ssn") || containsIgnoreCase(result, "social"))) {
            result = replaceLabelled(US_SSN_SPACED_PATTERN, result, (label, ssn) -> isIssuableSsn(ssn), NATIONAL_ID);
        }
        if (shape.ninoStart) {
            result = replaceIf(UK_NINO_PATTERN, result, PiiRedactor::hasUsedNinoPrefix, NATIONAL_ID);
        }
        if (shape.digitRun >= 7) {
            result = replaceIf(ES_DNI_NIE_PATTERN, result, PiiRedactor::passesDniLetter, NATIONAL_ID);
        }
        if (shape.numberRun >= 13) {
            result = replaceIf(FR_NIR_PATTERN, result, PiiRedactor::passesNirKey, NATIONAL_ID);
        }
        if (shape.birthLabel && shape.digitRun >= 2) {
            result = replaceLabelled(DATE_OF_BIRTH_PATTERN, result, (label, date) -> true, DATE_OF_BIRTH);
        }
        if (shape.upperRun >= 16) {
            result = replaceIf(IT_FISCAL_CODE_PATTERN, result, PiiRedactor::passesFiscalCodeCheck, NATIONAL_ID);
        }
        if (shape.keyRun >= 32) {
            result = replaceIf(GENERIC_KEY_PATTERN, result, PiiRedactor::looksLikeKey, API_KEY);
        }
        if (shape.numberRun >= 13) {
            result = replaceIf(CARD_PATTERN, result, PiiRedactor::passesLuhn, CARD);
        }
        if (shape.addressColons > 0) {
            result = replaceIf(IPV6_CANDIDATE, result, PiiRedactor::isIpv6, IP);
        }
        if (shape.numberRun >= 4 && shape.dots >= 3) {
            result = IPV4_PATTERN.matcher(result).replaceAll(IP);
        }
        if (shape.numberRun >= 9) {
            result = replaceIf(PHONE_PATTERN, result, PiiRedactor::hasPhoneDigits, PHONE);
        }
        return result;
    }

    /**
     * What one scan of the text says about which patterns could match at all, so that most patterns are never run on
     * most texts (the patterns cost ~10 ns a character each; the scan costs one pass). Every check is a necessary
     * condition of its pattern, never a sufficient one.
     */
    private static final class Shape {
        /** An {@code @} between a local-part character and a letter or digit. */
        boolean emailAt;
        boolean pemBlock;
        boolean assignment;
        /** Two capitals followed by two digits. */
        boolean ibanStart;
        /** Two capitals followed by a digit, maybe after a space. */
        boolean ninoStart;
        /** A digit, a dash, two digits and a dash. */
        boolean ssnDashes;
        /** A digit, a space, two digits and a space. */
        boolean ssnSpaces;
        /** Colons next to hex digits or other colons on both sides. */
        int addressColons;
        int dots;
        /** Longest run of characters a key can hold ({@code A-Za-z0-9_-}). */
        int keyRun;
        /** {@code birth}, {@code born}, {@code dob} or {@code d.o.b}, in any case. */
        boolean birthLabel;
        /** Longest run of capitals and digits. */
        int upperRun;
        /** Longest run of base64 characters ({@code A-Za-z0-9+/}). */
        int base64Run;
        /** Longest run of digits alone. */
        int digitRun;
        /** Most digits in a run of digits and separators ({@code space . - ( ) +}; Corsica's 2A/2B count as digits). */
        int numberRun;

        static Shape of(String text) {
            Shape shape = new Shape();
            int keyRun = 0;
            int base64Run = 0;
            int upperRun = 0;
            int digitRun = 0;
            int numberDigits = 0;
            int length = text.length();
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                boolean digit = isDigit(c);
                if (digit || isLetter(c) || c == '_' || c == '-') {
                    shape.keyRun = Math.max(shape.keyRun, ++keyRun);
                } else {
                    keyRun = 0;
                }
                if (digit || isLetter(c) || c == '+' || c == '/') {
                    shape.base64Run = Math.max(shape.base64Run, ++base64Run);
                } else {
                    base64Run = 0;
                }
                if (digit || isUpper(c)) {
                    shape.upperRun = Math.max(shape.upperRun, ++upperRun);
                } else {
                    upperRun = 0;
                }
                digitRun = digit ? digitRun + 1 : 0;
                shape.digitRun = Math.max(shape.digitRun, digitRun);
                if (digit || (c == 'A' || c == 'B') && i > 0 && text.charAt(i - 1) == '2') {
                    shape.numberRun = Math.max(shape.numberRun, ++numberDigits);
                } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '+') {
                    numberDigits = 0;
                }
                switch (c) {
                    case '@' -> shape.emailAt |= i > 0 && i + 1 < length && isLocalPart(text.charAt(i - 1))
                            && (isLetter(text.charAt(i + 1)) || isDigit(text.charAt(i + 1)));
                    case ':' -> {
                        shape.assignment = true;
                        if (i > 0 && i + 1 < length && isAddressPart(text.charAt(i - 1))
                                && isAddressPart(text.charAt(i + 1))) {
                            shape.addressColons++;
                        }
                    }
                    case '=' -> shape.assignment = true;
                    case '.' -> shape.dots++;
                    case 'b', 'B' -> shape.birthLabel |= text.regionMatches(true, i, "birth", 0, 5)
                            || text.regionMatches(true, i, "born", 0, 4)
                            || i >= 2 && text.regionMatches(true, i - 2, "dob", 0, 3)
                            || i >= 4 && text.regionMatches(true, i - 4, "d.o.b", 0, 5);
                    case ' ' -> shape.ssnSpaces |= i > 0 && i + 3 < length && isDigit(text.charAt(i - 1))
                            && isDigit(text.charAt(i + 1)) && isDigit(text.charAt(i + 2)) && text.charAt(i + 3) == ' ';
                    case '-' -> shape.ssnDashes |= i > 0 && i + 3 < length && isDigit(text.charAt(i - 1))
                            && isDigit(text.charAt(i + 1)) && isDigit(text.charAt(i + 2)) && text.charAt(i + 3) == '-';
                    default -> {
                    }
                }
                if (digit && i >= 2 && isUpper(text.charAt(i - 1)) && isUpper(text.charAt(i - 2))
                        || digit && i >= 3 && text.charAt(i - 1) == ' ' && isUpper(text.charAt(i - 2))
                                && isUpper(text.charAt(i - 3))) {
                    shape.ninoStart = true;
                }
                if (digit && i >= 3 && isDigit(text.charAt(i - 1)) && isUpper(text.charAt(i - 2))
                        && isUpper(text.charAt(i - 3))) {
                    shape.ibanStart = true;
                }
            }
            shape.pemBlock = text.contains("-----BEGIN ");
            return shape;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isUpper(char c) {
            return c >= 'A' && c <= 'Z';
        }

        private static boolean isLetter(char c) {
            return c >= 'a' && c <= 'z' || isUpper(c);
        }

        private static boolean isLocalPart(char c) {
            return isLetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
        }

        private static boolean isAddressPart(char c) {
            return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':';
        }
    }

    private static boolean containsAny(String text, String... parts) {
        for (String part : parts) {
            if (text.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a name {@link #ASSIGNED_SECRET_PATTERN} knows is followed by {@code :} or {@code =}, as it requires:
     * looks back from each {@code :} and {@code =} (far rarer than the names' letters) over spaces and a quote.
     */
    private static boolean hasAssignedSecretName(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ':' && c != '=') {
                continue;
            }
            int end = i;
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (end > 0 && (text.charAt(end - 1) == '"' || text.charAt(end - 1) == '\'')) {
                end--;
            }
            for (String ending : SECRET_NAME_ENDINGS) {
                int start = end - ending.length();
                if (start >= 0 && text.regionMatches(true, start, ending, 0, ending.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean containsIgnoreCase(String text, String word) {
        char first = word.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        for (int i = 0; i <= text.length() - word.length(); i++) {
            char c = text.charAt(i);
            if ((c == first || c == firstUpper) && text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
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

    private interface LabelledCheck {
        boolean matches(String label, String value);
    }

    /** Like {@link #replaceIf}, but only group 2 is checked and replaced; group 1 (a label) and the rest stay. */
    private static String replaceLabelled(Pattern pattern, String text, LabelledCheck check, String replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (matcher.find()) {
            if (!check.matches(matcher.group(1), matcher.group(2))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, matcher.start(2)).append(replacement);
            copied = matcher.end(2);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * After an Authorization header name any base64 run counts; after a bare "basic" only one that does not read as a
     * word: holding a digit, {@code + / =}, or a capital after a small letter.
     */
    private static boolean isBasicCredential(String label, String value) {
        if (containsIgnoreCase(label, "authorization")) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
                return true;
            }
            if (i > 0 && c >= 'A' && c <= 'Z' && Character.isLowerCase(value.charAt(i - 1))) {
                return true;
            }
        }
        return false;
    }

    /** ISO 13616: the country code and check digits moved to the end, letters as 10..35, the number mod 97 is 1. */
    static boolean passesIbanCheck(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            int value = Character.digit(rearranged.charAt(i), 36);
            remainder = (value > 9 ? remainder * 100 : remainder * 10) + value;
            remainder %= 97;
        }
        return remainder == 1;
    }

    private static boolean isIssuableSsn(String candidate) {
        String digits = candidate.replace("-", "").replace(" ", "");
        String area = digits.substring(0, 3);
        return !area.equals("000") && !area.equals("666") && area.charAt(0) != '9'
                && !digits.startsWith("00", 3) && !digits.endsWith("0000");
    }

    private static boolean hasUsedNinoPrefix(String candidate) {
        String prefix = candidate.substring(0, 2);
        return !List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix);
    }

    /** Spanish DNI/NIE: X, Y, Z count as 0, 1, 2; the letter is {@link #DNI_LETTERS} at the number mod 23. */
    private static boolean passesDniLetter(String candidate) {
        String id = candidate.replace("-", "");
        char first = id.charAt(0);
        String digits = (first >= 'X' && first <= 'Z' ? (char) ('0' + first - 'X') + id.substring(1) : id)
                .substring(0, 8);
        return DNI_LETTERS.charAt(Integer.parseInt(digits) % 23) == id.charAt(8);
    }

    /** French NIR: the key is 97 minus the 13-digit number mod 97 (Corsica's 2A and 2B count as 19 and 18). */
    private static boolean passesNirKey(String candidate) {
        String nir = candidate.replace(" ", "");
        String number = nir.substring(0, 13);
        long value;
        if (number.charAt(6) == 'A' || number.charAt(6) == 'B') {
            value = Long.parseLong(number.replace("2A", "19").replace("2B", "18"));
        } else {
            value = Long.parseLong(number);
        }
        return 97 - value % 97 == Integer.parseInt(nir.substring(13));
    }

    /**
     * Italian codice fiscale: odd positions (1, 3, ..., 15) count by {@link #FISCAL_CODE_ODD}, even ones A..Z and 0..9
     * as 0..25 and 0..9; the sum mod 26 is the check letter (A = 0).
     */
    private static boolean passesFiscalCodeCheck(String candidate) {
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            char c = candidate.charAt(i);
            int value = c <= '9' ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? FISCAL_CODE_ODD[value] : value;
        }
        return candidate.charAt(15) == 'A' + sum % 26;
    }

    /**
     * Random-looking, and not a UUID, a git commit id (40 hex digits) or a SHA-256/SHA-512 digest (64, 128): those are
     * identifiers, not secrets. 32 hex digits (an MD5, but also the shape of many API keys) still count as a key.
     */
    private static boolean looksLikeKey(String candidate) {
        return looksRandom(candidate) && !isUuid(candidate) && !isHexDigest(candidate);
    }

    /** 8-4-4-4-12 hex digits, all small or all capital. */
    private static boolean isUuid(String candidate) {
        if (candidate.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash != (candidate.charAt(i) == '-')) {
                return false;
            }
        }
        return isHexInOneCase(candidate.replace("-", ""));
    }

    private static boolean isHexDigest(String candidate) {
        int length = candidate.length();
        return (length == 40 || length == 64 || length == 128) && isHexInOneCase(candidate);
    }

    private static boolean isHexInOneCase(String text) {
        boolean small = false;
        boolean capital = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'f') {
                small = true;
            } else if (c >= 'A' && c <= 'F') {
                capital = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return !(small && capital);
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
