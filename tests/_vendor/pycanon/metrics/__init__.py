# Copyright 2022 Spanish National Research Council (CSIC)
#
# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Module with different functions for calculating the utility."""

from ._utility_metrics import average_ecsize
from ._utility_metrics import classification_metric
from ._utility_metrics import discernability_metric
from ._attribute_statistics import sizes_ec
from ._attribute_statistics import stats_quasi_ident
from ._reidentification_metrics import average_rir
from ._reidentification_metrics import max_rir
from ._disclosure_metrics import sa_entropy

__all__ = [
    "average_ecsize",
    "classification_metric",
    "discernability_metric",
    "sizes_ec",
    "stats_quasi_ident",
    "average_rir",
    "max_rir",
    "sa_entropy",
]
