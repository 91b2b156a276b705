package io.slmfleet.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a list whose entries are unique by the given keys: the CRD declares it
 * {@code x-kubernetes-list-type: map} with these {@code x-kubernetes-list-map-keys}, so the API server
 * rejects duplicates and server-side apply merges entries by key. Applied by {@link SchemaPostProcessor}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ListMapKeys {
    String[] value();
}
