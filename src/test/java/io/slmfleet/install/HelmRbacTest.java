package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.slmfleet.install.HelmChart.Rendered;

/**
 * The operator's permissions, as granted by the rendered chart, are exactly what its code needs: per scope (the whole
 * cluster or one namespace), the union of every role bound to its ServiceAccount equals {@link RequiredAccess}.
 */
class HelmRbacTest {

    private static final String CLUSTER = "(cluster-wide)";
    private static final String LEASE = "slm-fleet-leader";

    @Test
    void allNamespacesGrantsTheOperatorsNeedsClusterWideAndNothingElse() {
        assertThat(operatorGrants(HelmChart.render(""))).isEqualTo(Map.of(
                CLUSTER, RequiredAccess.namespaced()));
    }

    @Test
    void watchedNamespacesGetARoleEachAndNothingClusterWide() {
        assertThat(operatorGrants(HelmChart.render(HelmChartTest.NAMESPACED))).isEqualTo(Map.of(
                "team-a", RequiredAccess.namespaced(),
                "team-b", RequiredAccess.namespaced()));
    }

    @Test
    void leaderElectionAddsTheLeaseInTheOperatorsNamespaceOnly() {
        assertThat(operatorGrants(HelmChart.render(HelmChartTest.TWO_REPLICAS))).isEqualTo(Map.of(
                CLUSTER, RequiredAccess.namespaced(),
                HelmChart.NAMESPACE, RequiredAccess.leaderElection(LEASE)));
        assertThat(operatorGrants(HelmChart.render(HelmChartTest.EVERYTHING_ON))).isEqualTo(Map.of(
                "team-a", RequiredAccess.namespaced(),
                HelmChart.NAMESPACE, RequiredAccess.leaderElection(LEASE)));
    }

    static Stream<String> valueSets() {
        return HelmChartTest.valueSets();
    }

    /** Holds whatever the reference says: no wildcard, and Secrets are never listed or watched. */
    @ParameterizedTest
    @MethodSource("valueSets")
    void noWildcardsAndSecretsOnlyByName(String values) {
        Set<Grant> all = new TreeSet<>();
        operatorGrants(HelmChart.render(values)).values().forEach(all::addAll);

        assertThat(all).isNotEmpty().allSatisfy(grant -> {
            assertThat(grant.group()).isNotEqualTo("*");
            assertThat(grant.resource()).doesNotContain("*");
            assertThat(grant.verb()).isNotEqualTo("*");
        });
        assertThat(all).filteredOn(grant -> grant.resource().equals("secrets")).extracting(Grant::verb)
                .containsOnly("get");
    }

    @Test
    void everyRoleIsBoundToTheOperatorOnly() {
        Rendered rendered = HelmChart.render(HelmChartTest.EVERYTHING_ON);

        Stream.concat(rendered.all(RoleBinding.class).stream().flatMap(binding -> binding.getSubjects().stream()),
                rendered.all(ClusterRoleBinding.class).stream().flatMap(binding -> binding.getSubjects().stream()))
                .forEach(subject -> assertThat(isOperator(subject)).as("%s", subject).isTrue());
        Set<String> bound = new TreeSet<>();
        rendered.all(RoleBinding.class).forEach(binding -> bound.add(binding.getMetadata().getNamespace() + "/"
                + binding.getRoleRef().getName()));
        rendered.all(ClusterRoleBinding.class).forEach(binding -> bound.add("/" + binding.getRoleRef().getName()));
        assertThat(Stream.concat(
                rendered.all(Role.class).stream().map(role -> role.getMetadata().getNamespace() + "/" + role.getMetadata().getName()),
                rendered.all(ClusterRole.class).stream().map(role -> "/" + role.getMetadata().getName())))
                .allSatisfy(role -> assertThat(bound).contains(role));
    }

    @Test
    void noRbacWhenTheUserGrantsItThemselves() {
        Rendered rendered = HelmChart.render("rbac: {create: false}\nreplicaCount: 2");

        assertThat(rendered.objects()).extracting(HasMetadata::getKind)
                .doesNotContain("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
    }

    /** Scope (namespace, or {@link #CLUSTER}) to everything the operator's ServiceAccount may do there. */
    static Map<String, Set<Grant>> operatorGrants(Rendered rendered) {
        Map<String, Set<Grant>> grants = new TreeMap<>();
        for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(HelmRbacTest::isOperator)) {
                grants.computeIfAbsent(CLUSTER, scope -> new TreeSet<>())
                        .addAll(Grant.expand(rendered.one(ClusterRole.class, binding.getRoleRef().getName()).getRules()));
            }
        }
        for (RoleBinding binding : rendered.all(RoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(HelmRbacTest::isOperator)) {
                String namespace = binding.getMetadata().getNamespace();
                grants.computeIfAbsent(namespace, scope -> new TreeSet<>())
                        .addAll(Grant.expand(rules(rendered, binding.getRoleRef(), namespace)));
            }
        }
        return grants;
    }

    private static List<PolicyRule> rules(Rendered rendered, RoleRef ref, String namespace) {
        if (ref.getKind().equals("ClusterRole")) {
            return rendered.one(ClusterRole.class, ref.getName()).getRules();
        }
        return rendered.all(Role.class).stream()
                .filter(role -> role.getMetadata().getName().equals(ref.getName())
                        && role.getMetadata().getNamespace().equals(namespace))
                .findFirst().orElseThrow(() -> new AssertionError("no Role " + namespace + "/" + ref.getName()))
                .getRules();
    }

    private static boolean isOperator(Subject subject) {
        return subject.getKind().equals("ServiceAccount") && subject.getName().equals(HelmChart.RELEASE)
                && HelmChart.NAMESPACE.equals(subject.getNamespace());
    }
}
