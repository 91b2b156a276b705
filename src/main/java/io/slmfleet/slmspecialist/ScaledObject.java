package io.slmfleet.slmspecialist;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), held as a generic resource: the operator does not depend on KEDA's model,
 * and names the kind only so that its client calls and RBAC are typed (see {@link KedaScaledObject}).
 */
@Group(ScaledObject.GROUP)
@Version(ScaledObject.VERSION)
@Kind(ScaledObject.KIND)
@Plural("scaledobjects")
public class ScaledObject extends GenericKubernetesResource implements Namespaced {

    public static final String GROUP = "keda.sh";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "ScaledObject";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public ScaledObject() {
        setApiVersion(API_VERSION);
        setKind(KIND);
    }
}
