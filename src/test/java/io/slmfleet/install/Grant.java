package io.slmfleet.install;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

/**
 * One permission: a verb on a resource of an API group, optionally on one named object. RBAC rules are expanded into
 * grants so that two rule lists compare by what they allow, not by how they are grouped.
 */
record Grant(String group, String resource, String verb, String resourceName) implements Comparable<Grant> {

    static final String ANY_NAME = "";

    static Grant of(String group, String resource, String verb) {
        return new Grant(group, resource, verb, ANY_NAME);
    }

    static Set<Grant> expand(List<PolicyRule> rules) {
        Set<Grant> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? List.of(ANY_NAME) : rule.getResourceNames();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        for (String name : names) {
                            grants.add(new Grant(group, resource, verb, name));
                        }
                    }
                }
            }
        }
        return grants;
    }

    @Override
    public int compareTo(Grant other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return (group.isEmpty() ? "core" : group) + "/" + resource + (resourceName.isEmpty() ? "" : "/" + resourceName)
                + ":" + verb;
    }
}
