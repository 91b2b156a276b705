package io.slmfleet.agentroute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteSpec;
import io.slmfleet.api.v1alpha1.DelegationSpec;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.common.PodSecurity;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.routing.RouterContract;

/**
 * The router pods: by default the operator's own image started in router mode. The routing table is mounted as a whole
 * directory (no subPath), so kubelet swaps the file in place and the router reloads it without a restart. Nothing of the
 * table is on the pod template: a weight change or a specialist flapping Ready never rolls the router. Everything
 * that does need a restart (image, env, the Secrets and claims mounted, resources) is in the template already.
 */
public final class RouterDeployment {

    static final String ROUTER_ARG = OperatorConfig.Mode.router.name();
    private static final String TABLE_VOLUME = "routing-table";
    private static final String AUTH_VOLUME = "auth-tokens";
    private static final String USAGE_VOLUME = "usage";
    private static final String TMP_VOLUME = "tmp";
    private static final String TOKENS_FILE_NAME = RouterContract.AUTH_TOKENS_FILE
            .substring(RouterContract.AUTH_DIRECTORY.length() + 1);

    private RouterDeployment() {
    }

    public static Deployment desired(AgentRoute route, RouterSettings settings) {
        AgentRouteSpec spec = route.getSpec();
        String image = spec.router.image == null || spec.router.image.isEmpty() ? settings.defaultImage() : spec.router.image;
        return DesiredState.stamped(new DeploymentBuilder()
                .withNewMetadata()
                    .withName(Router.name(route))
                    .withNamespace(route.getMetadata().getNamespace())
                    .withLabels(Labels.of(route, Router.APP, "router"))
                    .withOwnerReferences(OwnerReferences.controlledBy(route))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(spec.router.replicas)
                    .withNewSelector()
                        .withMatchLabels(Labels.selector(route, Router.APP))
                    .endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            // A new pod serves before an old one goes: a table change never lowers capacity.
                            .withNewMaxSurge(1)
                            .withNewMaxUnavailable(0)
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(route, Router.APP, "router"))
                        .endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withFsGroup(Router.IMAGE_GROUP)
                                .withNewSeccompProfile()
                                    .withType("RuntimeDefault")
                                .endSeccompProfile()
                            .endSecurityContext()
                            .addNewContainer()
                                .withName(Router.CONTAINER)
                                .withImage(image)
                                .withArgs(ROUTER_ARG)
                                .addNewPort()
                                    .withName(Router.PORT_NAME)
                                    .withContainerPort(RouterContract.PORT)
                                    .withProtocol("TCP")
                                .endPort()
                                .withEnv(env(spec))
                                .withResources(spec.router.resources)
                                .withNewStartupProbe()
                                    .withNewHttpGet()
                                        .withPath(RouterContract.LIVENESS_PATH)
                                        .withNewPort(Router.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(2)
                                    .withFailureThreshold(30)
                                .endStartupProbe()
                                .withNewLivenessProbe()
                                    .withNewHttpGet()
                                        .withPath(RouterContract.LIVENESS_PATH)
                                        .withNewPort(Router.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(10)
                                    .withTimeoutSeconds(3)
                                    .withFailureThreshold(3)
                                .endLivenessProbe()
                                .withNewReadinessProbe()
                                    .withNewHttpGet()
                                        .withPath(RouterContract.READINESS_PATH)
                                        .withNewPort(Router.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(5)
                                    .withTimeoutSeconds(3)
                                    .withFailureThreshold(2)
                                .endReadinessProbe()
                                .withNewSecurityContextLike(PodSecurity.restrictedContainer())
                                    .withReadOnlyRootFilesystem(true)
                                    .withRunAsNonRoot(true)
                                .endSecurityContext()
                                .withVolumeMounts(volumeMounts(spec))
                            .endContainer()
                            .withVolumes(volumes(route))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    private static List<EnvVar> env(AgentRouteSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        if (spec.fallback != null && spec.fallback.apiKeySecret != null) {
            env.add(PodSecurity.envFromSecret(RouterContract.FALLBACK_API_KEY_ENV, spec.fallback.apiKeySecret));
        }
        if (spec.router.authTokensSecret != null) {
            env.add(new EnvVar(RouterContract.AUTH_TOKENS_FILE_ENV, RouterContract.AUTH_TOKENS_FILE, null));
        }
        for (int i = 0; i < spec.routes.size(); i++) {
            DelegationSpec delegation = spec.routes.get(i).delegation;
            if (delegation != null && delegation.judge != null && delegation.judge.apiKeySecret != null) {
                env.add(PodSecurity.envFromSecret(RouterContract.judgeApiKeyEnv(i), delegation.judge.apiKeySecret));
            }
        }
        return env;
    }

    private static List<VolumeMount> volumeMounts(AgentRouteSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder()
                .withName(TABLE_VOLUME)
                .withMountPath(RouterContract.TABLE_DIRECTORY)
                .withReadOnly(true)
                .build());
        if (spec.router.authTokensSecret != null) {
            mounts.add(new VolumeMountBuilder()
                    .withName(AUTH_VOLUME)
                    .withMountPath(RouterContract.AUTH_DIRECTORY)
                    .withReadOnly(true)
                    .build());
        }
        usageClaim(spec).ifPresent(claim -> mounts.add(new VolumeMountBuilder()
                .withName(USAGE_VOLUME)
                .withMountPath(RouterContract.USAGE_DIRECTORY)
                .withSubPath(claim.path == null || claim.path.isEmpty() ? null : claim.path)
                .build()));
        mounts.add(new VolumeMountBuilder()
                .withName(TMP_VOLUME)
                .withMountPath("/tmp")
                .build());
        return mounts;
    }

    private static List<Volume> volumes(AgentRoute route) {
        AgentRouteSpec spec = route.getSpec();
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName(TABLE_VOLUME)
                .withNewConfigMap()
                    .withName(Router.configMapName(route))
                .endConfigMap()
                .build());
        if (spec.router.authTokensSecret != null) {
            volumes.add(new VolumeBuilder()
                    .withName(AUTH_VOLUME)
                    .withNewSecret()
                        .withSecretName(spec.router.authTokensSecret.name)
                        .addNewItem()
                            .withKey(spec.router.authTokensSecret.key)
                            .withPath(TOKENS_FILE_NAME)
                        .endItem()
                    .endSecret()
                    .build());
        }
        usageClaim(spec).ifPresent(claim -> volumes.add(new VolumeBuilder()
                .withName(USAGE_VOLUME)
                .withNewPersistentVolumeClaim()
                    .withClaimName(claim.claimName)
                .endPersistentVolumeClaim()
                .build()));
        volumes.add(new VolumeBuilder()
                .withName(TMP_VOLUME)
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        return volumes;
    }

    private static Optional<ClaimPath> usageClaim(AgentRouteSpec spec) {
        return spec.usageCapture != null && Boolean.TRUE.equals(spec.usageCapture.enabled)
                ? Optional.ofNullable(spec.usageCapture.volume)
                : Optional.empty();
    }
}
