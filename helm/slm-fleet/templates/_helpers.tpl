{{/* Chart name, overridable. */}}
{{- define "slm-fleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release full name: names every object of the release. */}}
{{- define "slm-fleet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "slm-fleet.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "slm-fleet.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: slm-fleet
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels selecting the operator pods; immutable for the life of the release. */}}
{{- define "slm-fleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slm-fleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "slm-fleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "slm-fleet.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image, which is also the default router image. */}}
{{- define "slm-fleet.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* "true" when leader election is on (see leaderElection.mode in values.yaml), "" otherwise. */}}
{{- define "slm-fleet.leaderElection" -}}
{{- if or (eq .Values.leaderElection.mode "always") (and (eq .Values.leaderElection.mode "auto") (gt (int .Values.replicaCount) 1)) }}true{{- end }}
{{- end }}

{{/* Name of the Lease the replicas compete for. */}}
{{- define "slm-fleet.leaseName" -}}
{{- printf "%s-leader" (include "slm-fleet.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Value of quarkus.operator-sdk.namespaces: the watched namespaces, or JOSDK's constant for all of them. */}}
{{- define "slm-fleet.watchedNamespaces" -}}
{{- if eq .Values.watch.mode "namespaces" }}
{{- join "," .Values.watch.namespaces }}
{{- else }}
{{- print "JOSDK_ALL_NAMESPACES" }}
{{- end }}
{{- end }}

{{/*
Rules on namespaced resources: granted cluster-wide (ClusterRole) or in each watched namespace (Role).
Server-side apply needs create as well as patch: applying an object that does not exist yet creates it, and the API
server authorizes that as a create. Secrets: get only (the operator checks that referenced Secrets exist, it never
reads them in bulk).
*/}}
{{- define "slm-fleet.namespacedRules" -}}
- apiGroups: ["slmfleet.io"]
  resources: ["slmspecialists", "finetunejobs", "agentroutes", "curationjobs", "evaluationjobs"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["slmfleet.io"]
  resources: ["slmspecialists/status", "finetunejobs/status", "agentroutes/status", "curationjobs/status",
              "evaluationjobs/status"]
  verbs: ["patch"]
# children's owner references block their owner's deletion, which some clusters authorise against these
- apiGroups: ["slmfleet.io"]
  resources: ["slmspecialists/finalizers", "finetunejobs/finalizers", "agentroutes/finalizers",
              "curationjobs/finalizers", "evaluationjobs/finalizers"]
  verbs: ["update"]
# server-side apply: patch, and create when the object does not exist yet
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services", "persistentvolumeclaims", "configmaps"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch"]
# deleted when a specialist stops autoscaling or drops to one replica
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# KEDA's ScaledObject of an autoscaled specialist where KEDA is installed: read by name (never watched, KEDA may be
# absent), applied, and deleted when the specialist switches to the HPA or stops autoscaling
- apiGroups: ["keda.sh"]
  resources: ["scaledobjects"]
  verbs: ["get", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
# a router pod's figures count only when its ReplicaSet is the router Deployment's
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# Events: recorded on the custom resources (a repeat patched: its count); listed (never watched) to tell why a
# training Job's pod was refused
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch", "list"]
{{- end }}

{{/* Rules across values, which values.schema.json checks one by one. */}}
{{- define "slm-fleet.validate" -}}
{{- if and (eq .Values.watch.mode "namespaces") (empty .Values.watch.namespaces) }}
{{- fail "watch.mode is \"namespaces\" but watch.namespaces is empty: list the namespaces to watch" }}
{{- end }}
{{- if and (eq .Values.watch.mode "allNamespaces") (not (empty .Values.watch.namespaces)) }}
{{- fail "watch.namespaces is set but watch.mode is \"allNamespaces\": set watch.mode to \"namespaces\" to watch only those" }}
{{- end }}
{{- if and (gt (int .Values.replicaCount) 1) (eq .Values.leaderElection.mode "never") }}
{{- fail "replicaCount > 1 needs leader election, or the replicas reconcile the same resources at once: set leaderElection.mode to \"auto\" or \"always\"" }}
{{- end }}
{{- end }}
