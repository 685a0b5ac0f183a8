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
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch", "create", "delete"]
- apiGroups: [""]
  # training progress is read from the tail of the launcher's log
  resources: ["pods/log"]
  verbs: ["get"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["services", "configmaps"]
  verbs: ["list", "watch", "create"]
- apiGroups: [""]
  resources: ["secrets"]
  # get: the registry password a job names in imageRegistryDetails.passwordSecretRef
  verbs: ["get", "list", "watch", "create"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
