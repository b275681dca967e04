"""Run the pipeline and the measures on Apache Spark (``pip install 'multivector[spark]'``).

``engine``    ``spark_session`` and ``code_with_spark``: the coder over partitions of a Spark
              DataFrame (one model load per Python worker, Arrow batches), written as a
              partitioned Parquet store export that ``Store.import_parquet`` reads.
``measures``  the analysis package's own SQL run by Spark: ``SparkConnection`` stands in for
              the DuckDB connection the measures take, ``register_store`` builds the
              ``event_dyads`` view from a Parquet export, ``to_spark_sql`` is the one place
              where the DuckDB dialect is translated.

Importing this package does not import pyspark; the submodules do.
"""

from __future__ import annotations

__all__ = ["engine", "measures"]
