{{- define "chainer-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "chainer-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chainer-operator.labels" -}}
{{ include "chainer-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "chainer-operator.serviceAccountName" -}}
{{- default (include "chainer-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The permissions the operator needs on the ChainerJobs and the objects it owns, nothing more. */}}
{{- define "chainer-operator.jobRules" -}}
- apiGroups: ["chainer.dev"]
  resources: ["chainerjobs"]
  verbs: ["list", "watch", "delete"]
- apiGroups: ["chainer.dev"]
  resources: ["chainerjobs/status"]
  verbs: ["update"]
# get: after a create finds the name taken, to tell the job's own object (a late cache) from somebody else's
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  # training progress is read from the tail of the launcher's log
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["secrets"]
  # get: the registry password a job names in imageRegistryDetails.passwordSecretRef
  # delete: the SSH key pair of an attempt that ended
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  # spec.outputs: get a job's claim (does it exist, is it bound, can every worker mount it), create the one a
  # claimTemplate asks for (a Delete retention policy leaves its removal to the garbage collector)
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "create"]
- apiGroups: [""]
  resources: ["events"]
  # list: the FailedCreate Events on a job's StatefulSet, the only word of a refused worker pod
  verbs: ["create", "list"]
{{- if eq (.Values.operator.gangScheduler | default "none") "volcano" }}
# the PodGroup of each attempt's workers
- apiGroups: ["scheduling.volcano.sh"]
  resources: ["podgroups"]
  verbs: ["get", "list", "watch", "create", "delete"]
{{- end }}
{{- if eq (.Values.operator.gangScheduler | default "none") "scheduler-plugins" }}
# the PodGroup of each attempt's workers
- apiGroups: ["scheduling.x-k8s.io"]
  resources: ["podgroups"]
  verbs: ["get", "list", "watch", "create", "delete"]
{{- end }}
{{- if .Values.operator.kueueIntegration }}
# Kueue's job protocol: a Workload per queued job; its status when quota is given back or the job ends
- apiGroups: ["kueue.x-k8s.io"]
  resources: ["workloads"]
  verbs: ["get", "list", "watch", "create"]
- apiGroups: ["kueue.x-k8s.io"]
  resources: ["workloads/status"]
  verbs: ["update"]
{{- end -}}
{{- end -}}
