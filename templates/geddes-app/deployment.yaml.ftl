<#-- One replica of the application. The registry credential is referenced by name only. -->
<#import "/lib/labels.ftl" as l>
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${instance.name?c}
  labels:
    <@l.labels app=app.name instance=instance.name indent=4/>
spec:
  replicas: 1
  selector:
    matchLabels:
      <@l.selector app=app.name instance=instance.name indent=6/>
  template:
    metadata:
      labels:
        <@l.labels app=app.name instance=instance.name indent=8/>
    spec:
      imagePullSecrets:
        - name: ${geddes_image_pull_secret?c}
      containers:
        - name: app
          image: ${(geddes_image + ":" + geddes_image_tag)?c}
          imagePullPolicy: ${(geddes_image_tag == "latest")?then("Always", "IfNotPresent")}
<#if geddes_command?has_content>
          command:
<#list geddes_command as word>
            - ${word?string?c}
</#list>
</#if>
<#if geddes_args?has_content>
          args:
<#list geddes_args as word>
            - ${word?string?c}
</#list>
</#if>
<#if geddes_env?has_content>
          env:
<#list geddes_env?keys?sort as name>
            - name: ${name?c}
              value: ${geddes_env[name]?string?c}
</#list>
</#if>
          ports:
            - name: http
              containerPort: ${geddes_container_port?c}
              protocol: TCP
          resources:
            requests:
              cpu: ${geddes_cpu_request?c}
              memory: ${geddes_memory_request?c}
            limits:
              cpu: ${geddes_cpu_limit?c}
              memory: ${geddes_memory_limit?c}
<#if geddes_pvc_claim?has_content>
          volumeMounts:
            - name: data
              mountPath: ${geddes_pvc_mount_path?c}
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: ${geddes_pvc_claim?c}
</#if>
