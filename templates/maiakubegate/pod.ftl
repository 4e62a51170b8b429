<#-- The pod both workload kinds run (Job: restartPolicy Never; Deployment: Always). Indented for
     spec.template.spec. Quantities go through dmr.quantity so a JSON number reaches the API server as a
     string (an integer nvidia.com/gpu made it answer 500). -->
<#function hasGpu>
  <#return gpu_request?has_content && dmr.int(gpu_request) gt 0>
</#function>
<#macro spec restartPolicy>
      restartPolicy: ${restartPolicy}
<#if node_selector?has_content || gpu_selector?has_content>
      nodeSelector:
<#if node_selector?has_content>
        kubernetes.io/hostname: ${node_selector?c}
</#if>
<#if gpu_selector.type??>
        nvidia.com/gpu.product: ${gpu_selector.type?string?c}
</#if>
<#if gpu_selector.vram??>
        nvidia.com/gpu.memory: ${gpu_selector.vram?string?c}
</#if>
</#if>
      containers:
        - name: main
          image: ${(docker_image + ":" + tag)?c}
          imagePullPolicy: ${(tag == "latest")?then("Always", "IfNotPresent")}
<#if ports?has_content>
          ports:
<#list ports?keys?sort as name>
            - containerPort: ${dmr.int(ports[name][0])?c}
              protocol: TCP
</#list>
</#if>
<#if env_variables?has_content || (user_secret?has_content && user_secret_params?has_content)>
          env:
<#list env_variables?keys?sort as name>
            - name: ${name?c}
              value: ${env_variables[name]?string?c}
</#list>
<#if user_secret_params?has_content>
<#list user_secret as secret>
<#list user_secret_params as key>
            - name: ${key?c}
              valueFrom:
                secretKeyRef:
                  name: ${secret?c}
                  key: ${key?c}
</#list>
</#list>
</#if>
</#if>
<#if user_secret?has_content && !user_secret_params?has_content>
          envFrom:
<#list user_secret as secret>
            - secretRef:
                name: ${secret?c}
</#list>
</#if>
          resources:
            requests:
              cpu: ${dmr.quantity(cpu_request)?c}
              memory: ${dmr.quantity(memory_request)?c}
            limits:
              cpu: ${dmr.quantity(cpu_request)?c}
              memory: ${dmr.quantity(memory_request)?c}
<#if hasGpu()>
              nvidia.com/gpu: ${dmr.quantity(gpu_request)?c}
</#if>
<#if persistent_volume?has_content || existing_persistent_volume?has_content || mount_files?has_content>
          volumeMounts:
<#list persistent_volume as volume>
            - name: ${("claim-" + volume?index)?c}
              mountPath: ${volume.mountPath?c}
<#if volume.readOnly??>
              readOnly: ${(volume.readOnly?is_boolean?then(volume.readOnly, volume.readOnly?string == "true"))?c}
</#if>
</#list>
<#list existing_persistent_volume as volume>
            - name: ${("existing-" + volume?index)?c}
              mountPath: ${volume.mountPath?c}
</#list>
<#list mount_files?keys?sort as name>
            - name: ${("file-" + name?index)?c}
              mountPath: ${mount_files[name][1]?c}
              subPath: ${fileKey(mount_files[name][0])?c}
</#list>
      volumes:
<#list persistent_volume as volume>
        - name: ${("claim-" + volume?index)?c}
          persistentVolumeClaim:
            claimName: ${(instance.name + "-claim-" + volume?index)?c}
</#list>
<#list existing_persistent_volume as volume>
        - name: ${("existing-" + volume?index)?c}
          persistentVolumeClaim:
            claimName: ${volume.name?c}
</#list>
<#list mount_files?keys?sort as name>
        - name: ${("file-" + name?index)?c}
          configMap:
            name: ${configMapName(name)?c}
</#list>
</#if>
</#macro>

<#-- The ConfigMap of one mount_files entry and the key its file is stored under (the file's base name). -->
<#function configMapName name>
  <#return dmr.dnsName(instance.name + "-" + name?lower_case?replace("[^a-z0-9-]", "-", "r"))>
</#function>
<#function fileKey path>
  <#return path?keep_after_last("/")?has_content?then(path?keep_after_last("/"), path)>
</#function>
