package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Values in error messages are printed as the API server's Go code prints them. */
class GoValuesTest {

    @Test
    void floatsLikeGoPercentV() {
        assertThat(GoValues.formatFloat(1.0)).isEqualTo("1");
        assertThat(GoValues.formatFloat(0.6)).isEqualTo("0.6");
        assertThat(GoValues.formatFloat(1.0e-4)).isEqualTo("0.0001");
        assertThat(GoValues.formatFloat(1.0e-5)).isEqualTo("1e-05");
        assertThat(GoValues.formatFloat(123456.0)).isEqualTo("123456");
        assertThat(GoValues.formatFloat(1048576.0)).isEqualTo("1.048576e+06");
        assertThat(GoValues.formatFloat(-2.5)).isEqualTo("-2.5");
    }

    @Test
    void listMapKeysLikeGoSyntax() {
        assertThat(GoValues.goSyntax(KubectlYaml.read("{task: parsing, port: 80}")))
                .isEqualTo("map[string]interface {}{\"port\":80, \"task\":\"parsing\"}");
    }

    @Test
    void stringsQuoted() {
        assertThat(GoValues.render(KubectlYaml.read("{v: \"a \\\"b\\\"\\n\"}").get("v"))).isEqualTo("\"a \\\"b\\\"\\n\"");
    }
}
