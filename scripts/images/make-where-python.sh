#!/bin/sh
# The server/worker image's where-model environment (Dockerfile, stage where-python): a virtual
# environment of Debian's python3 at /opt/where-python with only the scikit-learn, scipy and numpy
# pins of trainer/requirements.txt (given as $1), and what scikit-learn itself requires. pip,
# setuptools and the libraries' own test suites are removed afterwards: nothing installs or tests
# at run time. Uses the build's own CA bundle when the build mounts one (scripts/build-images.sh).
set -eu
requirements="$1"
pins=$(grep -E '^(scikit-learn|scipy|numpy)==' "$requirements")
if [ "$(echo "$pins" | wc -l)" != 3 ]; then
  echo "make-where-python: expected the scikit-learn, scipy and numpy pins in $requirements, found: $pins" >&2
  exit 1
fi
if [ -s /usr/local/etc/host-ca-certificates.crt ]; then
  export PIP_CERT=/usr/local/etc/host-ca-certificates.crt
fi
python3 -m venv /opt/where-python
# shellcheck disable=SC2086 # one argument per pin
/opt/where-python/bin/pip install --no-cache-dir --disable-pip-version-check $pins
/opt/where-python/bin/python3 -m pip uninstall -y -q pip setuptools
find /opt/where-python/lib -depth -type d -name tests -prune -exec rm -rf {} +
/opt/where-python/bin/python3 -c "import sklearn, scipy, numpy, sklearn.linear_model, sklearn.feature_extraction, sklearn.metrics; print('where-python: scikit-learn', sklearn.__version__, 'scipy', scipy.__version__, 'numpy', numpy.__version__)"
