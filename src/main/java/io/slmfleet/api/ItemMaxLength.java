package io.slmfleet.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The longest string allowed in a list of strings ({@code items.maxLength}); fabric8's generator has no annotation
 * for list items. A CEL rule over the entries needs it: the API server estimates a rule's cost from the declared
 * lengths and rejects the CRD when an unbounded string makes the estimate exceed its budget. Applied by
 * {@link SchemaPostProcessor}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ItemMaxLength {
    int value();
}
