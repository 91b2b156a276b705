package io.slmfleet.finetunejob;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** Writes values into POSIX shell text so that the shell reads them back as the same single words. */
final class Shell {

    private Shell() {
    }

    /** One word, single-quoted: nothing inside is expanded ({@code '} itself is closed, escaped and reopened). */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    static String quoteAll(List<String> values) {
        return values.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    /** A decimal without exponent ("0.0001", not "1.0E-4"): every trainer's parser reads it as a number. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
