package io.slmfleet.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Restricts metadata.name of a kind whose name becomes the name of a child object with stricter rules than the
 * DNS-1123 subdomain the API server checks (a Service name is a DNS-1035 label). The CRD declares it on
 * metadata.name, the one place the API server allows a schema for metadata; a CEL rule would have to read an
 * unbounded metadata.name and could exceed the rule cost budget. Applied by {@link SchemaPostProcessor}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ObjectName {
    String pattern();

    int maxLength();
}
