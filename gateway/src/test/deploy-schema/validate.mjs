// Validates Kubernetes objects against the API schemas of the npm packages kubernetes-models (core and apps APIs),
// @kubernetes-models/prometheus-operator and @kubernetes-models/knative.
//
//   node validate.mjs FILE...      (a file of "-" reads standard input; multi-document YAML)
//
// Prints one line per object and exits 1 if any object fails its schema, has an API group or kind none of the
// packages knows, or lacks apiVersion, kind or metadata.name. The schemas check types, enums, formats and required
// fields; they do not reject unknown fields (deploy/check.sh and DeployFilesTest check the fields that matter).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const PACKAGES = [
  { match: (group) => group === "" || !group.includes(".") || group.endsWith(".k8s.io"), module: "kubernetes-models" },
  { match: (group) => group === "monitoring.coreos.com", module: "@kubernetes-models/prometheus-operator" },
  { match: (group) => group.endsWith("knative.dev"), module: "@kubernetes-models/knative" },
];

async function modelFor(apiVersion, kind) {
  const slash = apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = PACKAGES.find((p) => p.match(group));
  if (!pkg) {
    throw new Error(`no schema package for API group "${group}"`);
  }
  const path = group === "" ? `${pkg.module}/${version}/${kind}` : `${pkg.module}/${group}/${version}/${kind}`;
  let mod;
  try {
    mod = await import(path);
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind} (${path})`);
  }
  const model = mod[kind];
  if (typeof model !== "function") {
    throw new Error(`no model class ${kind} in ${path}`);
  }
  return model;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE... (- for standard input)");
  process.exit(2);
}
let failures = 0;
let objects = 0;
for (const file of files) {
  const text = readFileSync(file === "-" ? 0 : file, "utf8");
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      failures++;
      console.log(`FAIL ${file}: YAML error: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) {
      continue;
    }
    const name = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"} (${file})`;
    objects++;
    try {
      if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
        throw new Error("apiVersion, kind and metadata.name are required");
      }
      const Model = await modelFor(obj.apiVersion, obj.kind);
      new Model(obj).validate();
      console.log(`ok   ${obj.apiVersion} ${name}`);
    } catch (e) {
      failures++;
      const detail = e.errors ? JSON.stringify(e.errors.slice(0, 5)) : e.message;
      console.log(`FAIL ${obj.apiVersion ?? "?"} ${name}: ${detail}`);
    }
  }
}
console.log(`${objects} objects, ${failures} invalid`);
process.exit(failures === 0 && objects > 0 ? 0 : 1);
