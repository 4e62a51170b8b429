<#-- Recreate: pygeoapi keeps its job state in one process; two at once would both pick up jobs.
     checksum/config changes with pk_config, so a configuration change rolls the pod. -->
<#import "/lib/labels.ftl" as l>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      <@l.selector app=app.name instance=instance.name indent=6/>
  template:
    metadata:
      labels:
        <@l.labels app=app.name instance=instance.name indent=8/>
      annotations:
        checksum/config: ${dmr.hash(pk_config)?c}
    spec:
      serviceAccountName: ${instance.name?c}
      containers:
        - name: pygeoapi
          image: ${(pk_image + ":" + pk_image_tag)?c}
          imagePullPolicy: ${(pk_image_tag == "latest")?then("Always", "IfNotPresent")}
          env:
            - name: PYGEOAPI_CONFIG
              value: /pygeoapi/local.config.yml
            - name: PYGEOAPI_OPENAPI
              value: /pygeoapi/local.openapi.yml
            - name: PYGEOAPI_SERVER_URL
              value: ${("https://" + pk_ingress_host)?c}
            - name: PYGEOAPI_K8S_MANAGER_API_TOKEN
              valueFrom:
                secretKeyRef:
                  name: ${pk_token_secret?c}
                  key: ${pk_token_secret_key?c}
          envFrom:
            - secretRef:
                name: ${pk_log_finalizer_secret?c}
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
          resources:
            requests:
              cpu: ${pk_cpu_request?c}
              memory: ${pk_memory_request?c}
            limits:
              cpu: ${pk_cpu_limit?c}
              memory: ${pk_memory_limit?c}
          volumeMounts:
            - name: config
              mountPath: /pygeoapi/local.config.yml
              subPath: local.config.yml
      volumes:
        - name: config
          configMap:
            name: ${(instance.name + "-config")?c}
