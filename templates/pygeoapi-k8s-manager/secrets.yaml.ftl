<#-- The job manager's token and the log finalizer's bucket keys, when the environment gives them (from a vault
     or a sops file): the reconciler makes the Secrets, and the preconditions on them are met by these objects.
     Without them, the Secrets are made outside git and only required. -->
<#if pk_token?has_content>
apiVersion: v1
kind: Secret
metadata:
  name: ${pk_token_secret?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
type: Opaque
stringData:
  ${pk_token_secret_key?c}: ${pk_token?c}
</#if>
<#if pk_log_finalizer_env?has_content>
---
apiVersion: v1
kind: Secret
metadata:
  name: ${pk_log_finalizer_secret?c}
  labels:
    app.kubernetes.io/name: pygeoapi-k8s-manager
    app.kubernetes.io/instance: ${instance.name?c}
type: Opaque
stringData:
  ${dmr.toYaml(pk_log_finalizer_env, 2)}
</#if>
