package io.slmfleet.api;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * Runs inside the CRD generator at build time (quarkus.operator-sdk.crd.post-processor) and adds what fabric8's
 * generator has no annotation for: the list-map keys ({@link ListMapKeys}) and item lengths ({@link ItemMaxLength})
 * of the lists in each kind's spec, and the restriction of metadata.name ({@link ObjectName}).
 */
public class SchemaPostProcessor implements CRDPostProcessor {

    private static final List<Class<? extends CustomResource<?, ?>>> KINDS = List.of(SLMSpecialist.class, FineTuneJob.class,
            AgentRoute.class, CurationJob.class, EvaluationJob.class);

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition definition) {
            String kind = definition.getSpec().getNames().getKind();
            KINDS.stream()
                    .filter(type -> HasMetadata.getKind(type).equals(kind))
                    .findFirst()
                    .ifPresent(type -> definition.getSpec().getVersions().forEach(version -> {
                        JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
                        mark(specClass(type), root.getProperties().get("spec"));
                        restrictName(type.getAnnotation(ObjectName.class), root);
                    }));
        }
        return crd;
    }

    private static void restrictName(ObjectName objectName, JSONSchemaProps root) {
        if (objectName == null) {
            return;
        }
        JSONSchemaProps name = new JSONSchemaPropsBuilder()
                .withType("string")
                .withMaxLength((long) objectName.maxLength())
                .withPattern(objectName.pattern())
                .build();
        root.getProperties().put("metadata", new JSONSchemaPropsBuilder()
                .withType("object")
                .addToProperties("name", name)
                .build());
    }

    private static Class<?> specClass(Class<?> customResource) {
        ParameterizedType base = (ParameterizedType) customResource.getGenericSuperclass();
        return (Class<?>) base.getActualTypeArguments()[0];
    }

    private static void mark(Class<?> type, JSONSchemaProps schema) {
        if (schema == null || schema.getProperties() == null || !type.getPackageName().startsWith("io.slmfleet")) {
            return;
        }
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            JSONSchemaProps property = schema.getProperties().get(field.getName());
            if (property == null) {
                continue;
            }
            ListMapKeys keys = field.getAnnotation(ListMapKeys.class);
            if (keys != null) {
                property.setXKubernetesListType("map");
                property.setXKubernetesListMapKeys(Arrays.asList(keys.value()));
            }
            ItemMaxLength itemMaxLength = field.getAnnotation(ItemMaxLength.class);
            if (itemMaxLength != null) {
                property.getItems().getSchema().setMaxLength((long) itemMaxLength.value());
            }
            Class<?> nested = elementType(field);
            if (List.class.isAssignableFrom(field.getType()) || Map.class.isAssignableFrom(field.getType())) {
                JSONSchemaProps items = property.getItems() != null ? property.getItems().getSchema() : null;
                mark(nested, items);
            } else {
                mark(nested, property);
            }
        }
    }

    private static Class<?> elementType(Field field) {
        Type generic = field.getGenericType();
        if (generic instanceof ParameterizedType parameterized && List.class.isAssignableFrom(field.getType())) {
            Type argument = parameterized.getActualTypeArguments()[0];
            return argument instanceof Class<?> element ? element : Object.class;
        }
        return field.getType();
    }
}
