interface Order {
  id: number;
}

export const handler = async (event: Order) => {
  if (event.id < 0) throw new RangeError(`order ${event.id} is invalid`);
  return { version: process.version, id: event.id };
};
