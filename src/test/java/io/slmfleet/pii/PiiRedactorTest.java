package io.slmfleet.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class PiiRedactorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            write to jane.doe+invoices@mail.example.co.uk today    | write to [EMAIL] today
            Authorization: Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl  | Authorization: Bearer [TOKEN]
            key sk-proj-AbCdEfGhIjKlMnOpQrStUv123456 leaked        | key [API_KEY] leaked
            NGC key nvapi-a1B2c3D4e5F6g7H8i9J0kLmN                 | NGC key [API_KEY]
            token ghp_16C7e42F292c6912E7710c838347Ae178B4a        | token [API_KEY]
            aws AKIAIOSFODNN7EXAMPLE here                         | aws [API_KEY] here
            hf_AbCdEfGhIjKlMnOpQrStUvWxYz12 is mine                | [API_KEY] is mine
            api_key=s3cr3t-value-here and more                    | api_key=[API_KEY] and more
            "password": "hunter22"                                | "password": "[API_KEY]"
            opaque AbCdEfGhIjKlMnOpQrStUvWxYz123456 key             | opaque [API_KEY] key
            md5-looking 5d41402abc4b2a76b9719d911017c592 stays redacted | md5-looking [API_KEY] stays redacted
            id 123e4567-e89b-12d3-a456-426614174000 here           | id 123e4567-e89b-12d3-a456-426614174000 here
            ID 123E4567-E89B-12D3-A456-426614174000               | ID 123E4567-E89B-12D3-A456-426614174000
            commit 9fceb02d0ae598e95dc970b74767f19372d61af8        | commit 9fceb02d0ae598e95dc970b74767f19372d61af8
            sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 | sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            sha512 9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043 | sha512 9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043
            api_key=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 | api_key=[API_KEY]
            commit deadbeef4111111111111111cafebabe0000000a      | commit deadbeef4111111111111111cafebabe0000000a
            id 8e53d450-0301-2345-6789-6a78605d79b8 here           | id 8e53d450-0301-2345-6789-6a78605d79b8 here
            card 4111 1111 1111 1111 exp 12/27                    | card [CARD] exp 12/27
            card 5500-0000-0000-0004                              | card [CARD]
            amex 378282246310005                                  | amex [CARD]
            order 4111 1111 1111 1112 (fails Luhn)                | order 4111 1111 1111 1112 (fails Luhn)
            call +1 415 555 2671 now                              | call [PHONE] now
            call +44 20 7946 0958                                 | call [PHONE]
            call (415) 555-2671                                   | call [PHONE]
            call 415-555-2671                                     | call [PHONE]
            ruf 030 1234 5678 an                                  | ruf [PHONE] an
            from 192.168.10.254 port 8080                         | from [IP] port 8080
            v6 2001:db8:85a3::8a2e:370:7334 and ::1 too            | v6 [IP] and [IP] too
            mapped ::ffff:192.0.2.128 here                        | mapped [IP] here
            full 2001:0db8:0000:0000:0000:ff00:0042:8329          | full [IP]
            due 2024-01-15 at 10:30:45                            | due 2024-01-15 at 10:30:45
            total 1234.56 EUR for 3 items, invoice 2024-0042      | total 1234.56 EUR for 3 items, invoice 2024-0042
            version 1.2.3 of std::vector and a::b                 | version 1.2.3 of std::vector and a::b
            max_tokens: 512, tokens used 300                      | max_tokens: 512, tokens used 300
            mac 00:1A:2B:3C:4D:5E                                 | mac 00:1A:2B:3C:4D:5E
            999.1.1.1 is no address                               | 999.1.1.1 is no address
            AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | AWS_SECRET_ACCESS_KEY=[API_KEY]
            aws_secret_access_key = wJalrXUtnFEMI/K7MDENG         | aws_secret_access_key = [API_KEY]
            {"apiKey": "abc123def456"}                            | {"apiKey": "[API_KEY]"}
            client_secret: 0x5f3c9a77                             | client_secret: [API_KEY]
            GITHUB_TOKEN=abcdef123456                             | GITHUB_TOKEN=[API_KEY]
            accessToken=opaque-value-1                            | accessToken=[API_KEY]
            secret = open-sesame                                  | secret = [API_KEY]
            token_count: 123456, tokens: 4096                     | token_count: 123456, tokens: 4096
            IBAN DE89370400440532013000 please                    | IBAN [IBAN] please
            IBAN DE89 3704 0044 0532 0130 00 please               | IBAN [IBAN] please
            iban GB82 WEST 1234 5698 7654 32.                     | iban [IBAN].
            FR14 2004 1010 0505 0001 3M02 606                     | [IBAN]
            DE00370400440532013000 fails mod-97                   | DE00370400440532013000 fails mod-97
            SSN 078-05-1120 on file                               | SSN [NATIONAL_ID] on file
            SSN 666-12-3456, 912-12-3456, 123-00-4567 never issued | SSN 666-12-3456, 912-12-3456, 123-00-4567 never issued
            NINO AB 12 34 56 C or AB123456C                       | NINO [NATIONAL_ID] or [NATIONAL_ID]
            GB123456A is no NINO prefix                           | GB123456A is no NINO prefix
            DNI 12345678Z                                         | DNI [NATIONAL_ID]
            DNI 12345678-Z and NIE X1234567L                      | DNI [NATIONAL_ID] and NIE [NATIONAL_ID]
            ref 12345678A fails the DNI letter                    | ref 12345678A fails the DNI letter
            NIR 1 85 05 78 006 084 91                             | NIR [NATIONAL_ID]
            NIR 185057800608491                                   | NIR [NATIONAL_ID]
            NIR 2 69 02 2A 341 732 14                             | NIR [NATIONAL_ID]
            185057800608492 fails the NIR key                     | 185057800608492 fails the NIR key
            loopback ::1 only                                     | loopback [IP] only
            3 x chairs @ 125.88 EUR, Date: 2026-11-23             | 3 x chairs @ 125.88 EUR, Date: 2026-11-23
            replacement keyboards: 12                             | replacement keyboards: 12
            Authorization: Basic dXNlcjpwYXNzd29yZA==             | Authorization: Basic [TOKEN]
            -H "authorization: basic YWxhZGRpbjpvcGVuc2VzYW1l"     | -H "authorization: basic [TOKEN]"
            header Basic dXNlcjpwYXNzd29yZA== seen                | header Basic [TOKEN] seen
            a basic question about basic arithmetic               | a basic question about basic arithmetic
            use Basic Authentication or Basic authorization       | use Basic Authentication or Basic authorization
            cc:5555555555554444.                                  | cc:[CARD].
            card 4111 1111 1111 1111,                             | card [CARD],
            card 4111111111111111: expired                        | card [CARD]: expired
            see .4111111111111111                                 | see .[CARD]
            amounts 1234567890123.45 and 1234567890128.45         | amounts 1234567890123.45 and 1234567890128.45
            ratios 0.1234567890128 and 7:1234567890128            | ratios 0.1234567890128 and 7:1234567890128
            SSN: 123 45 6789                                      | SSN: [NATIONAL_ID]
            SSN 123 45 6789 on file                               | SSN [NATIONAL_ID] on file
            social security number: 123 45 6789                   | social security number: [NATIONAL_ID]
            Social Security No. 078 05 1120                       | Social Security No. [NATIONAL_ID]
            SSN: 666 45 6789 and SSN 912 45 6789 never issued     | SSN: 666 45 6789 and SSN 912 45 6789 never issued
            SSN: 123 00 6789 and SSN: 123 45 0000 never issued    | SSN: 123 00 6789 and SSN: 123 45 0000 never issued
            part 123 45 6789 has no label                         | part 123 45 6789 has no label
            DOB: 1985-03-14                                       | DOB: [DATE_OF_BIRTH]
            date of birth: 14/03/1985                             | date of birth: [DATE_OF_BIRTH]
            born on 14.03.1985 in Rome                            | born on [DATE_OF_BIRTH] in Rome
            Date of Birth - March 14, 1985                        | Date of Birth - [DATE_OF_BIRTH]
            birthdate 14th March 1985, D.O.B. 3/14/85             | birthdate [DATE_OF_BIRTH], D.O.B. [DATE_OF_BIRTH]
            the invoice of 2024-03-14 and March 14, 2024          | the invoice of 2024-03-14 and March 14, 2024
            born in 1985, reborn 2024-03-14 is no label           | born in 1985, reborn 2024-03-14 is no label
            """)
    void redacts(String input, String expected) {
        assertThat(PiiRedactor.redact(input)).isEqualTo(expected);
    }

    /** Decreto ministeriale 23/12/1976: the values of A..Z (and of 0..9 as A..J) in the odd positions 1, 3, ..., 15. */
    private static final int[] FISCAL_CODE_ODD = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
            16, 10, 22, 25, 24, 23};

    /** The check letter of a codice fiscale's first 15 characters, computed here independently of the redactor. */
    private static char fiscalCodeCheck(String first15) {
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            char c = first15.charAt(i);
            int index = Character.isDigit(c) ? c - '0' : c - 'A';
            // position i + 1: odd positions are the even indexes
            sum += i % 2 == 0 ? FISCAL_CODE_ODD[index] : index;
        }
        return (char) ('A' + sum % 26);
    }

    @Test
    void redactsItalianFiscalCodesWhoseCheckLetterMatches() {
        assertThat(fiscalCodeCheck("RSSMRA85T10A562")).isEqualTo('S');
        String laura = "BNCLRA90A41H501" + fiscalCodeCheck("BNCLRA90A41H501");
        // omocodia: the last digit 2 of RSSMRA85T10A562 written as N (0-9 -> L M N P Q R S T U V)
        String omocode = "RSSMRA85T10A56N" + fiscalCodeCheck("RSSMRA85T10A56N");
        char wrong = fiscalCodeCheck("RSSMRA85T10A562") == 'T' ? 'U' : 'T';

        assertThat(PiiRedactor.redact("codice fiscale RSSMRA85T10A562S, grazie"))
                .isEqualTo("codice fiscale [NATIONAL_ID], grazie");
        assertThat(PiiRedactor.redact("CF: " + laura)).isEqualTo("CF: [NATIONAL_ID]");
        assertThat(PiiRedactor.redact("CF " + omocode + " (omocodia)")).isEqualTo("CF [NATIONAL_ID] (omocodia)");
        assertThat(PiiRedactor.redact("CF RSSMRA85T10A562" + wrong + " fails the check"))
                .isEqualTo("CF RSSMRA85T10A562" + wrong + " fails the check");
        assertThat(PiiRedactor.redact("id XRSSMRA85T10A562S is longer")).isEqualTo("id XRSSMRA85T10A562S is longer");
    }

    @Test
    void redactsPemPrivateKeyBlocksWholeButNotCertificates() {
        String text = """
                here is my key:
                -----BEGIN RSA PRIVATE KEY-----
                MIIEpAIBAAKCAQEA7bq98Yx3
                c2VjcmV0IGtleSBtYXRlcmlhbA==
                -----END RSA PRIVATE KEY-----
                and a second one -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY----- done
                -----BEGIN CERTIFICATE-----
                MIIB
                -----END CERTIFICATE-----
                """;

        assertThat(PiiRedactor.redact(text)).isEqualTo("""
                here is my key:
                [PRIVATE_KEY]
                and a second one [PRIVATE_KEY] done
                -----BEGIN CERTIFICATE-----
                MIIB
                -----END CERTIFICATE-----
                """);
    }

    @Test
    void redactsEveryStringOfAJsonTreeButNotItsKeys() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode record = mapper.readTree("""
                {"jane@example.com": 1, "messages": [{"role": "user", "content": "I am jane@example.com"}],
                 "list": ["10.0.0.1", 42, null]}""");

        PiiRedactor.redact(record);

        assertThat(record.toString()).isEqualTo("{\"jane@example.com\":1,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"I am [EMAIL]\"}],\"list\":[\"[IP]\",42,null]}");
    }
}
