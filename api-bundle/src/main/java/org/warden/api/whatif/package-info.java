/**
 * What-if: the retained history replayed under a candidate policy (an installed policy by name, with optional
 * configuration overrides) in an engine of its own, and what would have changed. The live engine and policy are never
 * touched. The JSON form of a {@link org.warden.api.whatif.WhatIfReport} is Jackson's form of the records.
 */
@Export
@Version("1.0.0")
package org.warden.api.whatif;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
