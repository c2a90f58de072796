{{- define "delta-agent.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "delta-agent.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "delta-agent.labels" -}}
app.kubernetes.io/name: {{ include "delta-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "delta-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "delta-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "delta-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "delta-agent.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The agent's config as mounted: the user's, with the daemon listening on the service port and the token's
     environment variable named when a token Secret is referenced. */}}
{{- define "delta-agent.config" -}}
{{- $config := deepCopy .Values.config -}}
{{- $daemon := default dict (get $config "daemon") -}}
{{- $_ := set $daemon "http-address" (printf "0.0.0.0:%v" .Values.service.port) -}}
{{- if .Values.secrets.httpToken.existingSecret -}}
{{- $_ := set $daemon "http-token-env" "DELTA_AGENT_HTTP_TOKEN" -}}
{{- end -}}
{{- $_ := set $config "daemon" $daemon -}}
{{- toYaml $config -}}
{{- end -}}

{{/* Refusals: settings that cannot work together fail the render with the value to change. */}}
{{- define "delta-agent.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.history.postgresql.url) -}}
{{- fail (printf "replicaCount=%v needs history.postgresql.url: daemons share their work through one PostgreSQL history; an embedded H2 history belongs to one daemon" .Values.replicaCount) -}}
{{- end -}}
{{- if and .Values.history.postgresql.url (not (hasPrefix "jdbc:postgresql:" .Values.history.postgresql.url)) -}}
{{- fail (printf "history.postgresql.url must start with jdbc:postgresql:, got %q" .Values.history.postgresql.url) -}}
{{- end -}}
{{- if and .Values.history.postgresql.url (regexMatch "//[^/]*@" .Values.history.postgresql.url) -}}
{{- fail "history.postgresql.url holds credentials: put them in the Secret named by history.postgresql.existingSecret" -}}
{{- end -}}
{{- if and .Values.history.postgresql.url (not .Values.history.postgresql.existingSecret) -}}
{{- fail "history.postgresql.url needs history.postgresql.existingSecret (the database user and password)" -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) .Values.persistence.enabled (eq .Values.persistence.accessMode "ReadWriteOnce") -}}
{{- fail "replicaCount > 1 with a ReadWriteOnce volume: disable persistence (the history is in PostgreSQL) or use ReadWriteMany" -}}
{{- end -}}
{{- end -}}
