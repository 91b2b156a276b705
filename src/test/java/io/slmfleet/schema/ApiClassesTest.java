package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.generator.annotation.Default;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * The API classes agree with their schema annotations. The operator also handles objects that no API server has
 * defaulted (offline render, tests against the mock server), where Java initializers are the defaults: they must be
 * the values the CRD declares, and a field the API server leaves absent must not get a value in Java.
 */
class ApiClassesTest {

    static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyDefaultEqualsTheJavaInitializer() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Field field : apiFields()) {
            Default annotation = field.getAnnotation(Default.class);
            if (annotation == null) {
                continue;
            }
            Object initializer = field.get(newInstance(field.getDeclaringClass()));
            JsonNode declared = JSON.valueToTree(YAML.readValue(annotation.value(), field.getType()));
            JsonNode initialized = JSON.valueToTree(initializer);
            if (!declared.equals(initialized)) {
                mismatches.add(name(field) + ": @Default(\"" + annotation.value() + "\") is " + declared + ", the initializer "
                        + initialized);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void fieldsWithoutADefaultStartAbsentOrEmpty() throws Exception {
        List<String> undeclared = new ArrayList<>();
        for (Field field : apiFields()) {
            if (field.isAnnotationPresent(Default.class)) {
                continue;
            }
            Object initializer = field.get(newInstance(field.getDeclaringClass()));
            boolean absent = initializer == null || (initializer instanceof Collection<?> c && c.isEmpty())
                    || (initializer instanceof Map<?, ?> m && m.isEmpty());
            if (!absent) {
                undeclared.add(name(field) + " is initialized to " + JSON.valueToTree(initializer) + " without @Default");
            }
        }
        assertThat(undeclared).isEmpty();
    }

    @Test
    void everyFieldIsDescribedForKubectlExplain() {
        assertThat(apiFields()).filteredOn(field -> !field.isAnnotationPresent(JsonPropertyDescription.class))
                .extracting(ApiClassesTest::name)
                .isEmpty();
    }

    @Test
    void theWalkReachesTheNestedClasses() {
        assertThat(apiFields()).extracting(ApiClassesTest::name)
                .contains("LoraSpec.maxGpuLoras", "TargetSpec.weight", "HyperparametersSpec.learningRate",
                        "AgentRouteStatus$TargetStatus.weight", "FineTuneJobStatus$TrainingMetrics.trainLoss");
    }

    /** Public instance fields of the spec and status classes of the three kinds and of every class they use. */
    static List<Field> apiFields() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (Class<?> kind : List.of(SLMSpecialist.class, FineTuneJob.class, AgentRoute.class)) {
            ParameterizedType base = (ParameterizedType) kind.getGenericSuperclass();
            for (Type argument : base.getActualTypeArguments()) {
                collect((Class<?>) argument, classes);
            }
        }
        List<Field> fields = new ArrayList<>();
        for (Class<?> type : classes) {
            for (Field field : type.getFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static void collect(Class<?> type, Set<Class<?>> classes) {
        if (!type.getPackageName().startsWith("io.slmfleet.api") || type.isEnum() || !classes.add(type)) {
            return;
        }
        for (Field field : type.getFields()) {
            collect(field.getType(), classes);
            if (field.getGenericType() instanceof ParameterizedType parameterized) {
                for (Type argument : parameterized.getActualTypeArguments()) {
                    if (argument instanceof Class<?> element) {
                        collect(element, classes);
                    }
                }
            }
        }
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        return type.getConstructor().newInstance();
    }

    private static String name(Field field) {
        String owner = field.getDeclaringClass().getName();
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + field.getName();
    }
}
